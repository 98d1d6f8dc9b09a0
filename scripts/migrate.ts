import { ensureDatabase, migrateSchema } from '@kanshi/database';
import { SERVICES } from './services';

// Applies every service's pending migrations, each to its own schema.
export async function migrateAll(databaseUrl: string, log: (line: string) => void = () => undefined): Promise<void> {
  await ensureDatabase(databaseUrl);
  for (const s of SERVICES) {
    const applied = await migrateSchema(databaseUrl, s.schema);
    log(`${s.schema}: ${applied.length ? applied.join(', ') : 'up to date'}`);
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kanshi';
  migrateAll(url, (l) => console.log(l)).catch((err) => {
    console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
