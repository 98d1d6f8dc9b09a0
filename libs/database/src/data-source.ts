import { Client } from 'pg';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import * as path from 'node:path';
import { createLogger } from '@kanshi/observability';

const log = createLogger('PostgreSQL');

// A pool connection that always has an 'error' listener. When PostgreSQL restarts, a connection
// in use can emit 'error' more than once (the server's FATAL, then the socket's reset); TypeORM
// removes its own listener on the first and pg-pool has none on a connection in use, so the
// second was an unhandled 'error' event and the process died (found by the chaos run). The query
// in flight still fails and the pool still discards the connection.
export class GuardedClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', (err: Error) => log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'a PostgreSQL connection failed; it is discarded'));
  }
}

export interface ServiceDatabaseOptions {
  // The service's own PostgreSQL schema: every table it owns lives there, nothing else does.
  schema: string;
  url: string;
  entities: MixedList<Function | string | EntitySchema>;
  poolSize?: number;
  applicationName?: string;
}

const REPO_ROOT_MARKERS = ['migrations'];

// Migrations live at <repo>/migrations/<schema>/ (compiled to dist/migrations/<schema>/).
export function migrationsGlob(schema: string): string {
  // libs/database/src -> repo root, both from the TypeScript sources and from dist/.
  const root = path.resolve(__dirname, '..', '..', '..');
  return path.join(root, REPO_ROOT_MARKERS[0], schema, '*.{ts,js}').replace(/\\/g, '/');
}

export function createServiceDataSource(opts: ServiceDatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: opts.entities,
    migrations: [migrationsGlob(opts.schema)],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    applicationName: opts.applicationName ?? `kanshi-${opts.schema}`,
    // connectionTimeoutMillis: a connection that cannot be had (PostgreSQL down, the pool
    // exhausted) fails after 10 s instead of leaving the caller waiting for ever.
    extra: { max: opts.poolSize ?? 10, idleTimeoutMillis: 30000, connectionTimeoutMillis: 10_000, Client: GuardedClient },
  });
}

// Creates the schema when needed and applies pending migrations; returns the names applied.
export async function migrateSchema(url: string, schema: string): Promise<string[]> {
  const ds = createServiceDataSource({ schema, url, entities: [] });
  await ds.initialize();
  try {
    // Only when missing: a service's role in production owns its schema but may not create one.
    const existing: unknown[] = await ds.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (existing.length === 0) await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

export async function revertLastMigration(url: string, schema: string): Promise<void> {
  const ds = createServiceDataSource({ schema, url, entities: [] });
  await ds.initialize();
  try {
    await ds.undoLastMigration({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

// CREATE DATABASE cannot run inside a transaction or take parameters; the name is checked instead.
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must contain only letters, digits and _`);
  const admin = new DataSource({ type: 'postgres', url: withDatabase(url, 'postgres') });
  await admin.initialize();
  try {
    const rows: unknown[] = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.destroy();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must contain only letters, digits and _`);
  const admin = new DataSource({ type: 'postgres', url: withDatabase(url, 'postgres') });
  await admin.initialize();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.destroy();
  }
}
