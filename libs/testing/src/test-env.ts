import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseNameOf, withDatabase } from '@kanshi/database';
import { loadPlatformConfig, PlatformConfig } from '@kanshi/config';

export const TEST_JWT_SECRET = 'kanshi-test-secret-kanshi-test-secret';

// The throwaway database and NATS namespace made by global-setup for this jest run.
export function testDatabaseUrl(): string {
  const url = process.env.KANSHI_TEST_DATABASE_URL;
  if (!url) throw new Error('KANSHI_TEST_DATABASE_URL is not set: run integration specs through jest (global-setup creates the database)');
  return url;
}

export function testNamespace(): string {
  return process.env.KANSHI_TEST_NATS_NAMESPACE ?? 'ttest';
}

export function testNatsUrl(): string {
  return process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
}

// A service configuration for in-process tests; `namespace` isolates one spec file's streams.
export function testPlatformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    NATS_URL: testNatsUrl(),
    NATS_NAMESPACE: `${testNamespace()}${randomBytes(2).toString('hex')}`,
    JWT_SECRET: TEST_JWT_SECRET,
    AUTH_MODE: 'hs256',
    ...extra,
  };
}

export function testPlatformConfig(extra: Record<string, string> = {}): PlatformConfig {
  return loadPlatformConfig('test', {}, testPlatformEnv(extra));
}

export async function truncate(ds: DataSource, schema: string, tables: string[]): Promise<void> {
  await ds.query(`TRUNCATE ${tables.map((t) => `"${schema}".${t}`).join(', ')} RESTART IDENTITY CASCADE`);
}

export async function eventually<T>(fn: () => Promise<T>, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10000);
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
    }
  }
}

// CREATE DATABASE ... TEMPLATE copies files: a migrated database in a fraction of a second.
export async function cloneDatabase(fromUrl: string, toUrl: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(fromUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${databaseNameOf(toUrl)}" TEMPLATE "${databaseNameOf(fromUrl)}"`);
  } finally {
    await admin.end();
  }
}

// A migrated database of the spec's own, for specs whose operations span all tenants (a billing
// run bills every contract in service) and so must not see other specs' rows.
export async function isolatedDatabaseUrl(): Promise<string> {
  const template = process.env.KANSHI_TEST_TEMPLATE_DATABASE;
  if (!template) throw new Error('KANSHI_TEST_TEMPLATE_DATABASE is not set: run integration specs through jest');
  const base = testDatabaseUrl();
  const url = withDatabase(base, `${databaseNameOf(base)}_${randomBytes(4).toString('hex')}`);
  await cloneDatabase(withDatabase(base, template), url);
  return url;
}
