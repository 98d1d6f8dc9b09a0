import { ChildProcess, spawn } from 'node:child_process';
import { watch } from 'node:fs';
import * as path from 'node:path';
import { devSecret, devSubgraphSecret } from './dev-secret';
import { ensureInfra } from './infra';
import { migrateAll } from './migrate';
import { distDir, GATEWAY_PORT, SERVICES } from './services';
import { entryOf, NODE_FLAGS } from './suite';

// `npm run dev -- <service>`: one process of the suite in watch mode. swc recompiles the
// service (or the gateway) and libs/ into dist/ on every save; node --watch restarts the process
// when its compiled files change. PostgreSQL and NATS are found or started, and migrations
// applied, as for `npm start`.
export const DEV_TARGETS: readonly string[] = [...SERVICES.map((s) => s.name), 'gateway'];
export const DEV_USAGE = `usage: npm run dev -- <service>, one of ${DEV_TARGETS.join(', ')}`;

export function parseDevArgs(argv: string[]): { name: string; port: number; sources: string[] } {
  if (argv.length !== 1) throw new Error(argv.length === 0 ? 'which service?' : `one service at a time (got ${argv.join(' ')})`);
  const [name] = argv;
  if (!DEV_TARGETS.includes(name)) throw new Error(`unknown service "${name}"`);
  const service = SERVICES.find((s) => s.name === name);
  return service ? { name, port: service.port, sources: [`services/${name}`, 'libs'] } : { name, port: GATEWAY_PORT, sources: ['gateway', 'libs'] };
}

const SPECS = '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts';

// swc's own --watch needs chokidar, which is not installed; Node's recursive fs.watch is enough.
// Each burst of saves recompiles the watched folders once (a fraction of a second).
function compileOnChange(root: string, sources: string[]): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running: ChildProcess | undefined;
  let again = false;
  const compile = () => {
    if (running) {
      again = true;
      return;
    }
    const started = Date.now();
    running = spawn(path.join(root, 'node_modules', '.bin', 'swc'), [...sources, '-d', 'dist', '-q', '--ignore', SPECS], { cwd: root, stdio: 'inherit' });
    running.once('exit', (code) => {
      running = undefined;
      if (code === 0) console.log(`• compiled ${sources.join(', ')} in ${Date.now() - started} ms`);
      if (again) {
        again = false;
        compile();
      }
    });
  };
  const watchers = sources.map((s) =>
    watch(path.join(root, s), { recursive: true }, (_event, file) => {
      if (!file?.endsWith('.ts') || /\.(spec|int-spec|e2e-spec)\.ts$/.test(file)) return;
      clearTimeout(timer);
      timer = setTimeout(compile, 100);
    }),
  );
  return () => {
    clearTimeout(timer);
    watchers.forEach((w) => w.close());
    running?.kill();
  };
}

async function main(): Promise<void> {
  let target: ReturnType<typeof parseDevArgs>;
  try {
    target = parseDevArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`dev: ${(err as Error).message}; ${DEV_USAGE}`);
    process.exit(2);
  }
  const root = path.resolve(distDir(), '..');
  const infra = await ensureInfra().catch((err: Error) => {
    console.error(`dev: ${err.message.split('\n')[0]}`);
    process.exit(1);
  });
  infra.notes.forEach((n) => console.log(`• ${n}`));
  await migrateAll(infra.databaseUrl, (l) => console.log(`• migrations ${l}`));
  const subgraphs = Object.fromEntries(SERVICES.map((s) => [`SUBGRAPH_URL_${s.name.toUpperCase().replace(/-/g, '_')}`, `http://127.0.0.1:${s.port}/graphql`]));
  const stopCompiling = compileOnChange(root, target.sources);
  const child = spawn(process.execPath, ['--watch', ...NODE_FLAGS, entryOf(target.name)], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...subgraphs,
      ...process.env,
      DATABASE_URL: infra.databaseUrl,
      NATS_URL: infra.natsUrl,
      NATS_NAMESPACE: process.env.NATS_NAMESPACE ?? 'kanshi',
      JWT_SECRET: devSecret(),
      SUBGRAPH_SECRET: devSubgraphSecret(),
      AUTH_MODE: process.env.AUTH_MODE ?? 'hs256',
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      PORT: process.env.PORT ?? String(target.port),
    },
  });
  console.log(`• ${target.name} on port ${process.env.PORT ?? target.port}, restarted on every change; Ctrl-C stops it`);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    stopCompiling();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await infra.stop();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0).catch(() => process.exit(1)));
  child.once('exit', (code) => {
    if (!stopping) void stop(code ?? 1).catch(() => process.exit(1));
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`dev: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
