import { ensureDatabase, migrateSchema } from '@kanshi/database';
import { SERVICES } from './services';

// Applies every service's pending migrations, each to its own schema. With `schemas` (the
// Kubernetes migration Job of one service: MIGRATE_SCHEMAS=incident, run with that service's own
// role), only those, and the database is expected to exist (the role may not create one).
export async function migrateAll(databaseUrl: string, log: (line: string) => void = () => undefined, schemas?: string[]): Promise<void> {
  const unknown = (schemas ?? []).filter((name) => !SERVICES.some((s) => s.schema === name));
  if (unknown.length) throw new Error(`MIGRATE_SCHEMAS names unknown schemas: ${unknown.join(', ')} (known: ${SERVICES.map((s) => s.schema).join(', ')})`);
  if (!schemas) await ensureDatabase(databaseUrl);
  for (const s of SERVICES.filter((x) => !schemas || schemas.includes(x.schema))) {
    const applied = await migrateSchema(databaseUrl, s.schema);
    log(`${s.schema}: ${applied.length ? applied.join(', ') : 'up to date'}`);
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kanshi';
  const schemas = process.env.MIGRATE_SCHEMAS ? process.env.MIGRATE_SCHEMAS.split(',').map((x) => x.trim()).filter(Boolean) : undefined;
  migrateAll(url, (l) => console.log(l), schemas).catch((err) => {
    console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
