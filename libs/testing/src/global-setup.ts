import { randomBytes } from 'node:crypto';
import { ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';
import { cloneDatabase } from './test-env';
import { ensureInfra } from '../../../scripts/infra';

// Once per `jest` run (int and e2e projects): a throwaway database with every schema migrated and
// a NATS namespace of its own, so runs never see each other's rows or streams. PostgreSQL and NATS
// are the ones in DATABASE_URL / NATS_URL, else the local servers, else started here (embedded
// PostgreSQL, nats-server).
export const SERVICE_SCHEMAS = ['contracts', 'ingestion', 'analysis', 'incident', 'endpoint_response', 'reporting'];

export default async function globalSetup(): Promise<void> {
  if (process.env.KANSHI_TEST_DATABASE_URL) return; // an earlier project of this run set it up
  const infra = await ensureInfra().catch((err: Error) => {
    // One line saying what to install or set, not a stack trace.
    process.stderr.write(`\nKanshi tests need PostgreSQL and NATS: ${err.message.split('\n')[0]}\n`);
    process.exit(1);
  });
  (globalThis as { kanshiTestInfra?: typeof infra }).kanshiTestInfra = infra;
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const url = withDatabase(infra.databaseUrl, `kanshi_test_${runId}`);
  await ensureDatabase(url);
  for (const schema of SERVICE_SCHEMAS) await migrateSchema(url, schema);
  // A migrated copy nobody connects to, which specs clone for a database of their own.
  await cloneDatabase(url, withDatabase(infra.databaseUrl, `kanshi_test_${runId}_tpl`));
  process.env.KANSHI_TEST_DATABASE_URL = url;
  process.env.KANSHI_TEST_TEMPLATE_DATABASE = `kanshi_test_${runId}_tpl`;
  process.env.KANSHI_TEST_NATS_NAMESPACE = `t${runId}`;
  process.env.NATS_URL = infra.natsUrl;
}
