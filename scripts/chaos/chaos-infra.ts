import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { startEmbeddedPostgres, EmbeddedPostgres, InfraError } from '../embedded-postgres';
import { portOpen } from '../infra';

// The chaos run's own PostgreSQL (embedded) and nats-server, on their own ports and data
// directories: restarting them disturbs nothing else on the machine (never 5432 or 4222).

export interface ChaosInfra {
  databaseUrl: string;
  natsUrl: string;
  natsPort: number;
  restartPostgres(): Promise<void>;
  restartNats(): Promise<void>;
  stop(): Promise<void>;
}

function findNatsServer(): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/usr/bin'])) {
    const p = path.join(dir, 'nats-server');
    if (dir && existsSync(p)) return p;
  }
  throw new InfraError('the chaos run starts its own nats-server and none is installed (Debian/Ubuntu: sudo apt-get install nats-server)');
}

async function waitPort(port: number, open: boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await portOpen('127.0.0.1', port, 300)) !== open) {
    if (Date.now() > deadline) throw new InfraError(`${what} on 127.0.0.1:${port} did not ${open ? 'start listening' : 'stop'} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startChaosInfra(dir: string, ports: { postgres: number; nats: number }): Promise<ChaosInfra> {
  for (const [what, port] of Object.entries(ports)) {
    if (await portOpen('127.0.0.1', port)) throw new InfraError(`port ${port} (the chaos run's ${what}) is taken: stop what listens there or set CHAOS_PORT_OFFSET`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pgDir = path.join(dir, 'pg');
  let pg: EmbeddedPostgres = await startEmbeddedPostgres({ port: ports.postgres, dataDir: pgDir });
  const bin = findNatsServer();
  const storeDir = path.join(dir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  let nats: ChildProcess;
  const startNats = async () => {
    nats = spawn(bin, ['-a', '127.0.0.1', '-p', String(ports.nats), '-js', '-sd', storeDir], { stdio: 'ignore' });
    await waitPort(ports.nats, true, 15_000, 'nats-server');
  };
  const stopNats = () =>
    new Promise<void>((resolve) => {
      if (nats.exitCode !== null || nats.signalCode !== null) return resolve();
      nats.once('exit', () => resolve());
      nats.kill('SIGTERM');
    });
  await startNats();
  process.once('exit', () => nats.kill('SIGKILL'));
  return {
    databaseUrl: pg.url.replace(/\/postgres$/, '/kanshi'),
    natsUrl: `nats://127.0.0.1:${ports.nats}`,
    natsPort: ports.nats,
    restartPostgres: async () => {
      await pg.stop();
      pg = await startEmbeddedPostgres({ port: ports.postgres, dataDir: pgDir });
    },
    restartNats: async () => {
      await stopNats();
      await waitPort(ports.nats, false, 10_000, 'nats-server');
      await startNats();
    },
    stop: async () => {
      await stopNats();
      await pg.stop();
      // throwaway data (as root it may live outside `dir`, where the postgres user can reach it)
      rmSync(pg.dataDir, { recursive: true, force: true });
    },
  };
}
