import { connect } from 'nats';
import { Client } from 'pg';
import { databaseNameOf, dropDatabase, withDatabase } from '@kanshi/database';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.KANSHI_TEST_DATABASE_URL;
  const ns = process.env.KANSHI_TEST_NATS_NAMESPACE;
  if (url && process.env.KANSHI_KEEP_TEST_DATABASE !== '1') {
    // The run's database, its template and every clone a spec made.
    const prefix = databaseNameOf(url);
    const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
    await admin.connect();
    const rows = (await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rows as { datname: string }[];
    await admin.end();
    for (const r of rows) await dropDatabase(withDatabase(url, r.datname)).catch(() => undefined);
  }
  if (ns) {
    const u = new URL(process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
    const nc = await connect({ servers: `${u.hostname}:${u.port || 4222}` });
    const jsm = await nc.jetstreamManager();
    // testPlatformEnv() namespaces are `${ns}<hex>`: every stream of this run starts with ns
    for await (const s of jsm.streams.list()) if (s.config.name.startsWith(ns)) await jsm.streams.delete(s.config.name);
    await nc.close();
  }
  await (globalThis as { kanshiTestInfra?: { stop(): Promise<void> } }).kanshiTestInfra?.stop();
  delete process.env.KANSHI_TEST_DATABASE_URL;
  delete process.env.KANSHI_TEST_NATS_NAMESPACE;
}
