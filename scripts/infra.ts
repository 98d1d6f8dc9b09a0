import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import * as path from 'node:path';
import { InfraError, startEmbeddedPostgres } from './embedded-postgres';

export { InfraError };

// Finds or starts what the suite needs: PostgreSQL and NATS with JetStream.
// Order: the URL in the environment; a server on the standard port; one started here.

export const DATA_DIR = path.resolve(__dirname.split(path.sep).includes('dist') ? path.join(__dirname, '..', '..') : path.join(__dirname, '..'), '.data');

export function portOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface Infra {
  databaseUrl: string;
  natsUrl: string;
  notes: string[];
  stop(): Promise<void>;
}

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/sbin'])) {
    const p = path.join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return null;
}

async function startEmbedded(notes: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = 54329;
  const pg = await startEmbeddedPostgres({ port, dataDir: path.join(DATA_DIR, 'pg') });
  notes.push(`PostgreSQL: embedded server on 127.0.0.1:${port} (running as ${pg.runAs}, binaries in ${pg.binDir}), data in ${pg.dataDir}`);
  return { url: pg.url.replace(/\/postgres$/, '/kanshi'), stop: pg.stop };
}

function installNatsServer(notes: string[]): string | null {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !which('apt-get')) return null;
  notes.push('NATS: installing Debian package nats-server');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'nats-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    throw new InfraError('NATS is not running on 127.0.0.1:4222 and `apt-get install nats-server` failed: install nats-server yourself or set NATS_URL.');
  }
  return which('nats-server');
}

async function startNats(notes: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const bin = which('nats-server') ?? installNatsServer(notes);
  if (!bin) {
    throw new InfraError('NATS is not running on 127.0.0.1:4222 and nats-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install nats-server) or set NATS_URL.');
  }
  const storeDir = path.join(DATA_DIR, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const child: ChildProcess = spawn(bin, ['-a', '127.0.0.1', '-p', '4222', '-js', '-sd', storeDir], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await portOpen('127.0.0.1', 4222)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await portOpen('127.0.0.1', 4222))) throw new InfraError('nats-server did not start listening on 127.0.0.1:4222');
  notes.push(`NATS: started ${bin} on 127.0.0.1:4222 with JetStream in ${storeDir}`);
  return {
    url: 'nats://127.0.0.1:4222',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// Reporting renders PDFs with Debian's Chromium and Japanese fonts; its tests read PDFs with
// poppler-utils. Installed from Debian's packages when missing (as root with apt-get).
const REPORT_PACKAGES: [pkg: string, present: (env: NodeJS.ProcessEnv) => boolean][] = [
  ['chromium', (env) => existsSync(env.REPORT_CHROMIUM_PATH ?? '/usr/bin/chromium')],
  ['fonts-ipaexfont-gothic', () => existsSync('/usr/share/fonts/opentype/ipaexfont-gothic') || existsSync('/usr/share/fonts/truetype/ipaexfont-gothic')],
  ['poppler-utils', () => which('pdftotext') !== null],
];

export function ensureReportRenderer(notes: string[], env: NodeJS.ProcessEnv = process.env): void {
  const missing = REPORT_PACKAGES.filter(([, present]) => !present(env)).map(([pkg]) => pkg);
  if (!missing.length) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !which('apt-get')) {
    notes.push(`Reporting: ${missing.join(', ')} missing (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}); PDFs cannot be rendered`);
    return;
  }
  notes.push(`Reporting: installing Debian packages ${missing.join(', ')}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

// Anything that goes wrong is an InfraError whose message is one line saying what to install or set.
export async function ensureInfra(env: NodeJS.ProcessEnv = process.env): Promise<Infra> {
  try {
    return await findOrStart(env);
  } catch (err) {
    if (err instanceof InfraError) throw err;
    throw new InfraError(`cannot find or start PostgreSQL and NATS: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}; set DATABASE_URL and NATS_URL to running servers.`);
  }
}

async function findOrStart(env: NodeJS.ProcessEnv): Promise<Infra> {
  const notes: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  ensureReportRenderer(notes, env);
  let databaseUrl = env.DATABASE_URL;
  if (databaseUrl) notes.push('PostgreSQL: DATABASE_URL from the environment');
  else if (await portOpen('127.0.0.1', 5432)) {
    databaseUrl = 'postgres://postgres@127.0.0.1:5432/kanshi';
    notes.push('PostgreSQL: the server on 127.0.0.1:5432');
  } else {
    const pg = await startEmbedded(notes);
    databaseUrl = pg.url;
    stops.push(pg.stop);
  }
  let natsUrl = env.NATS_URL;
  if (natsUrl) notes.push('NATS: NATS_URL from the environment');
  else if (await portOpen('127.0.0.1', 4222)) {
    natsUrl = 'nats://127.0.0.1:4222';
    notes.push('NATS: the server on 127.0.0.1:4222');
  } else {
    const nats = await startNats(notes).catch(async (err: unknown) => {
      for (const s of stops) await s().catch(() => undefined);
      throw err;
    });
    natsUrl = nats.url;
    stops.push(nats.stop);
  }
  return {
    databaseUrl,
    natsUrl,
    notes,
    stop: async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    },
  };
}
