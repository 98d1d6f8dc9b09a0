import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { AckPolicy, connect, NatsConnection, StringCodec } from 'nats';
import { parse as parseYaml } from 'yaml';
import { dropDatabase, ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';
import { STREAMS, StreamName } from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { NatsBus } from '@kanshi/messaging';
import { testDatabaseUrl } from '@kanshi/testing';
import { DataSource } from 'typeorm';
import { distDir, SERVICES } from '../services';
import { natsPermissionsFor, natsUserOf, ServiceStreams } from './nats-permissions';
import { readRepoFile } from './manifests';

// The per-service PostgreSQL roles (k8s/postgres/base/grants.sql) and NATS users
// (k8s/nats/values.yaml), applied to real servers: each service's identity can do exactly its
// own work and nothing of another's.

jest.setTimeout(120_000);

// What each service publishes and consumes, as its modules register them (schema-only boot).
function streamsOf(service: string): ServiceStreams {
  const out = execFileSync(process.execPath, [path.join(distDir(), 'scripts', 'print-subgraph-sdl.js'), service], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  return (JSON.parse(out) as { streams: ServiceStreams }).streams;
}
const STREAMS_OF = Object.fromEntries(SERVICES.map((s) => [s.name, streamsOf(s.name)])) as Record<string, ServiceStreams>;

describe('PostgreSQL: one role per service, limited to its schema', () => {
  const admin = testDatabaseUrl();
  const url = withDatabase(admin, `kanshi_grants_${Date.now().toString(36)}`);
  const passwords = Object.fromEntries(SERVICES.map((s) => [s.schema, `pw-${s.schema}-${Math.random().toString(36).slice(2)}`]));
  const roleUrl = (schema: string) => {
    const u = new URL(url);
    u.username = `kanshi_${schema}`;
    u.password = passwords[schema];
    return u.toString();
  };

  beforeAll(async () => {
    await ensureDatabase(url);
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(readRepoFile('k8s/postgres/base/grants.sql'));
      // what CloudNativePG's managed roles add: LOGIN and the password from the role's secret
      for (const s of SERVICES) await c.query(`ALTER ROLE kanshi_${s.schema} LOGIN PASSWORD '${passwords[s.schema]}'`);
    } finally {
      await c.end();
    }
  });
  afterAll(() => dropDatabase(url));

  it.each(SERVICES.map((s) => [s.name, s.schema]))('%s migrates its schema and runs its job queue as its own role', async (_name, schema) => {
    const applied = await migrateSchema(roleUrl(schema), schema);
    expect(applied.length).toBeGreaterThan(0);
    const ds = new DataSource({ type: 'postgres', url: roleUrl(schema) });
    await ds.initialize();
    const jobs = new JobQueue(ds, { schema: `${schema}_jobs`, pollIntervalMs: 500 });
    const job = defineJob('grants-check', {});
    let ran = false;
    jobs.work(job, async () => {
      ran = true;
    });
    try {
      await jobs.start();
      await jobs.send(job, {});
      for (let i = 0; i < 100 && !ran; i++) await new Promise((r) => setTimeout(r, 100));
      expect(ran).toBe(true);
    } finally {
      await jobs.stop();
      await ds.destroy();
    }
  });

  it("refuses every role another service's schema, new schemas and the public schema", async () => {
    for (const s of SERVICES) await migrateSchema(roleUrl(s.schema), s.schema);
    for (const me of SERVICES) {
      const c = new Client({ connectionString: roleUrl(me.schema) });
      await c.connect();
      try {
        for (const other of SERVICES.filter((o) => o.schema !== me.schema)) {
          await expect(c.query(`SELECT count(*) FROM "${other.schema}".outbox`)).rejects.toThrow(/permission denied/);
          await expect(c.query(`CREATE TABLE "${other.schema}".intruder (id int)`)).rejects.toThrow(/permission denied/);
        }
        await expect(c.query('CREATE SCHEMA intruder')).rejects.toThrow(/permission denied/);
        await expect(c.query('CREATE TABLE public.intruder (id int)')).rejects.toThrow(/permission denied/);
        // its own schema is its own
        await expect(c.query(`SELECT count(*) FROM "${me.schema}".outbox`)).resolves.toBeTruthy();
      } finally {
        await c.end();
      }
    }
  });
});

describe('NATS: one user per service, allowed only its subjects and JetStream calls', () => {
  const values = parseYaml(readRepoFile('k8s/nats/values.yaml')) as { config: { merge: Record<string, any> } };
  const users = values.config.merge.accounts.KANSHI.users as { user: string; password: string; permissions: unknown }[];
  const passwords = Object.fromEntries(SERVICES.map((s) => [natsUserOf(s.name).passwordVariable, `nats-${s.name}-${Math.random().toString(36).slice(2)}`]));
  let server: ChildProcess;
  let dir: string;
  let port: number;
  const sc = StringCodec();

  it('lists, for every service, exactly the permissions derived from the streams it registers', () => {
    for (const s of SERVICES) {
      const user = users.find((u) => u.user === natsUserOf(s.name).user);
      expect({ service: s.name, permissions: user?.permissions }).toEqual({ service: s.name, permissions: natsPermissionsFor(STREAMS_OF[s.name]) });
    }
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kanshi-nats-perm-'));
    port = await freePort();
    // The chart writes config.merge into nats.conf; "<< X >>" are raw values (units, $VARIABLES).
    const merge = JSON.parse(JSON.stringify(values.config.merge)) as Record<string, any>;
    merge.jetstream = { ...merge.jetstream, store_dir: dir };
    const conf = JSON.stringify({ port, host: '127.0.0.1', ...merge }, null, 2).replace(/"<< (.+?) >>"/g, '$1');
    writeFileSync(path.join(dir, 'nats.conf'), conf);
    server = spawn(natsServerBinary(), ['-c', path.join(dir, 'nats.conf')], { env: { ...process.env, ...passwords }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; i < 100; i++) {
      if (server.exitCode !== null) throw new Error(`nats-server exited: ${stderr}`);
      if (await canConnect(port)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nats-server did not start: ${stderr}`);
  });
  afterAll(() => {
    server?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const urlOf = (service: string) => `nats://${natsUserOf(service).user}:${passwords[natsUserOf(service).passwordVariable]}@127.0.0.1:${port}`;
  const subjectIn = (s: StreamName) => `kanshi.${STREAMS[s].subjects[0].replace('>', 'permission-check.v1')}`;

  it('lets each service create its streams, publish to them, and consume the streams it reads', async () => {
    // each service boots and ensures its streams, as PlatformLifecycle and ConsumerHost do
    for (const s of SERVICES) {
      const bus = await NatsBus.connect({ url: urlOf(s.name), name: `perm-${s.name}`, namespace: 'kanshi' });
      try {
        const streams = STREAMS_OF[s.name];
        await bus.ensureStreams([...streams.publishes, ...streams.consumes]);
        for (const st of streams.publishes) await expect(bus.js.publish(subjectIn(st), sc.encode(s.name), { timeout: 2000 })).resolves.toMatchObject({ stream: `kanshi_${st}` });
      } finally {
        await bus.nc.close();
      }
    }
    for (const s of SERVICES) {
      const bus = await NatsBus.connect({ url: urlOf(s.name), name: `perm-${s.name}`, namespace: 'kanshi' });
      try {
        for (const st of STREAMS_OF[s.name].consumes) {
          const durable = `perm-${s.name}-${st}`.toLowerCase();
          await bus.jsm.consumers.info(`kanshi_${st}`, durable).catch(() => null);
          await bus.jsm.consumers.add(`kanshi_${st}`, { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: subjectIn(st) });
          const consumer = await bus.js.consumers.get(`kanshi_${st}`, durable);
          const m = await consumer.next({ expires: 3000 });
          expect({ service: s.name, stream: st, received: m !== null }).toEqual({ service: s.name, stream: st, received: true });
          await m!.ackAck();
        }
      } finally {
        await bus.nc.close();
      }
    }
  });

  it("refuses each service another service's subjects and consumers on streams it does not read", async () => {
    for (const s of SERVICES) {
      const own = STREAMS_OF[s.name];
      const nc = await connectAs(urlOf(s.name));
      try {
        const js = nc.jetstream();
        const jsm = await nc.jetstreamManager();
        for (const st of (Object.keys(STREAMS) as StreamName[]).filter((x) => !own.publishes.includes(x))) {
          await expect(js.publish(subjectIn(st), sc.encode('forged'), { timeout: 1500 })).rejects.toThrow();
        }
        for (const st of (Object.keys(STREAMS) as StreamName[]).filter((x) => !own.consumes.includes(x) && !own.publishes.includes(x))) {
          await expect(jsm.consumers.add(`kanshi_${st}`, { durable_name: `spy-${s.name}`, ack_policy: AckPolicy.Explicit })).rejects.toThrow();
          await expect(jsm.streams.delete(`kanshi_${st}`)).rejects.toThrow();
        }
      } finally {
        await nc.close();
      }
    }
  });
});

async function connectAs(url: string): Promise<NatsConnection> {
  const u = new URL(url);
  return connect({ servers: `${u.hostname}:${u.port}`, user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) });
}

function natsServerBinary(): string {
  for (const p of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) {
    try {
      execFileSync(p, ['--version']);
      return p;
    } catch {
      /* next */
    }
  }
  return 'nats-server';
}

async function canConnect(port: number): Promise<boolean> {
  try {
    const nc = await connect({ servers: `127.0.0.1:${port}`, user: 'nobody', pass: 'nothing', reconnect: false, timeout: 500 });
    await nc.close();
    return true;
  } catch (err) {
    // an authorization error means the server is up
    return /authorization/i.test(String((err as Error).message));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
    srv.on('error', reject);
  });
}


