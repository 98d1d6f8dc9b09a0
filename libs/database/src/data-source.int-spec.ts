// A service's pool when PostgreSQL ends its connections (a restart, a failover, an operator's
// pg_terminate_backend): the query in flight fails, the process lives on and the pool serves the
// next query on a new connection. Found by the chaos run: a connection in use emitted 'error' with
// no listener left and the endpoint-response process died.
import { Client } from 'pg';
import { testDatabaseUrl } from '@kanshi/testing';
import { createServiceDataSource } from './data-source';

type PoolClient = Client & { release(err?: Error | boolean): void };

describe('a service data source when PostgreSQL ends its connections', () => {
  const ds = createServiceDataSource({ schema: 'public', url: testDatabaseUrl(), entities: [], applicationName: 'kanshi-guarded-pool-spec' });
  let admin: Client;

  beforeAll(async () => {
    await ds.initialize();
    admin = new Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await ds.destroy();
  });

  it('survives the end of a connection in use with no listener of its own, and the pool goes on', async () => {
    const pool = (ds.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master;
    const held = await pool.connect();
    const pid = (await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    // the connection in use gets the server's FATAL and then its socket closes: two 'error' events
    // on a client nobody listens to but the guard
    const errors: string[] = [];
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const inFlight = held.query('SELECT pg_sleep(5)').catch((err: Error) => errors.push(err.message));
      await new Promise((r) => setTimeout(r, 200));
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await inFlight;
      held.emit('error', new Error('a second error on the same connection'));
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      held.release(true);
    }
    expect(errors).toEqual([expect.stringMatching(/terminating connection|Connection terminated/)]);
    expect(uncaught).toEqual([]);
    expect(await ds.query('SELECT 41 + 1 AS answer')).toEqual([{ answer: 42 }]);
  });
});
