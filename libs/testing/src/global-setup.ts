import { randomBytes } from 'node:crypto';
import { ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';

// Once per `jest` run (int and e2e projects): a throwaway database with every schema migrated and
// a NATS namespace of its own, so runs never see each other's rows or streams.
export const SERVICE_SCHEMAS = ['contracts', 'ingestion', 'analysis', 'incident', 'endpoint_response', 'reporting'];

export default async function globalSetup(): Promise<void> {
  if (process.env.KANSHI_TEST_DATABASE_URL) return; // set by an outer run (several projects share it)
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const url = withDatabase(base, `kanshi_test_${runId}`);
  await ensureDatabase(url);
  for (const schema of SERVICE_SCHEMAS) await migrateSchema(url, schema);
  process.env.KANSHI_TEST_DATABASE_URL = url;
  process.env.KANSHI_TEST_NATS_NAMESPACE = `t${runId}`;
  process.env.NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
}
