import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { DemoEdrConsole, startDemoEdrConsole } from './demo-edr';
import { DEV_EDR_CONSOLE_PORT, DEV_INTAKE_PORTS, distDir, GATEWAY_PORT, SERVICES } from './services';

export interface SuiteOptions {
  databaseUrl: string;
  natsUrl: string;
  natsNamespace: string;
  jwtSecret: string;
  // Added to every process's environment (and may override ports).
  env?: Record<string, string>;
  portOffset?: number;
  // Where each process's JSON log goes; stdout of this process when absent.
  logDir?: string;
  onLine?: (name: string, line: string) => void;
  readyTimeoutMs?: number;
  // Extra Node.js flags for every process, e.g. ['--cpu-prof'] when profiling.
  nodeArgs?: string[];
}

export interface RunningProcess {
  name: string;
  // Internal: subgraph GraphQL, metrics, health.
  port: number;
  // Routes for the outside world (ingestion's /ingest, contracts' /webhooks/stripe), if any.
  publicPort?: number;
  child: ChildProcess;
  startedMs: number;
}

export interface Suite {
  gatewayUrl: string;
  // Where sensors send events: HTTPS (base URL of /ingest), syslog over UDP and TCP, SMTP.
  intake: { https: string; syslogUdpPort: number; syslogTcpPort: number; smtpPort: number };
  // The demo's local EDR console (CrowdStrike Falcon API) on DEV_EDR_CONSOLE_PORT (offset like the rest).
  edrConsole: DemoEdrConsole;
  processes: RunningProcess[];
  // Starts a process of the suite again (after it died or was killed) with the same port and
  // environment, and waits until it is ready.
  restart(name: string): Promise<RunningProcess>;
  stop(): Promise<void>;
}

const DIST = distDir();

// A larger young generation: fewer scavenges per request burst, shorter latency tails under load
// (measured in docs/benchmarks.md). Production sets the same through NODE_OPTIONS (k8s/).
export const NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=32'];

export function entryOf(name: string): string {
  return name === 'gateway' ? path.join(DIST, 'gateway', 'src', 'main.js') : path.join(DIST, 'services', name, 'src', 'main.js');
}

async function waitReady(url: string, child: ChildProcess, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} was not ready after ${timeoutMs} ms (${last})`);
}

// Starts the six services, then the gateway, each as its own Node process from dist/.
export async function startSuite(opts: SuiteOptions): Promise<Suite> {
  const offset = opts.portOffset ?? 0;
  const processes: RunningProcess[] = [];
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: opts.databaseUrl,
    NATS_URL: opts.natsUrl,
    NATS_NAMESPACE: opts.natsNamespace,
    JWT_SECRET: opts.jwtSecret,
    AUTH_MODE: 'hs256',
    // a service without NODE_ENV is in production (no HS256): the local suite is development
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    ...opts.env,
  };
  if (opts.logDir) mkdirSync(opts.logDir, { recursive: true });
  const edrConsole = await startDemoEdrConsole(DEV_EDR_CONSOLE_PORT + offset);
  const launches = new Map<string, () => RunningProcess>();
  const spawnOne = (name: string, port: number, extra: Record<string, string> = {}, publicPort?: number): RunningProcess => {
    launches.set(name, () => spawnOne(name, port, extra, publicPort));
    const child = spawn(process.execPath, [...NODE_FLAGS, ...(opts.nodeArgs ?? []), entryOf(name)], {
      env: { ...baseEnv, PORT: String(port), ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sink = opts.logDir ? createWriteStream(path.join(opts.logDir, `${name}.log`), { flags: 'a' }) : null;
    for (const stream of [child.stdout!, child.stderr!]) {
      let buf = '';
      stream.on('data', (chunk: Buffer) => {
        sink?.write(chunk);
        if (!opts.onLine) return;
        buf += chunk.toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          opts.onLine(name, buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
    }
    const p = { name, port, publicPort, child, startedMs: Date.now() };
    const at = processes.findIndex((x) => x.name === name);
    if (at >= 0) processes[at] = p;
    else processes.push(p);
    return p;
  };
  // Whatever ends this process (a crash of the harness included) ends the suite's processes too,
  // rather than leaving them running on their ports.
  const killAll = () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  const stop = async () => {
    process.off('exit', killAll);
    // The gateway first, then the services, each given time for a graceful shutdown.
    for (const group of [processes.filter((p) => p.name === 'gateway'), processes.filter((p) => p.name !== 'gateway')]) {
      await Promise.all(
        group.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
              const timer = setTimeout(() => p.child.kill('SIGKILL'), 15000);
              p.child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              p.child.kill('SIGTERM');
            }),
        ),
      );
    }
    await edrConsole.stop();
  };
  // Every intake on its development port (offset like the rest).
  const intake = {
    syslogUdpPort: DEV_INTAKE_PORTS.SYSLOG_UDP_PORT + offset,
    syslogTcpPort: DEV_INTAKE_PORTS.SYSLOG_TCP_PORT + offset,
    smtpPort: DEV_INTAKE_PORTS.SMTP_PORT + offset,
  };
  const ingestionEnv: Record<string, string> = {
    SYSLOG_HOST: '127.0.0.1',
    SYSLOG_UDP_PORT: String(intake.syslogUdpPort),
    SYSLOG_TCP_PORT: String(intake.syslogTcpPort),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(intake.smtpPort),
    // The suite runs on one machine: its demo and test sensors send from 127.0.0.1, which a
    // production ingestion refuses to bind to a sensor.
    INTAKE_ALLOW_LOOPBACK_SOURCES: 'true',
  };
  // The demo console is on this machine: its detections are pulled every 5 s (60 s in production).
  const endpointResponseEnv: Record<string, string> = { DETECTION_PULL_INTERVAL_MS: '5000' };
  // The gateway's credential towards the subgraphs, new for every run unless given.
  baseEnv.SUBGRAPH_SECRET ??= randomBytes(24).toString('hex');
  try {
    const urlEnv: Record<string, string> = {};
    for (const s of SERVICES) {
      const port = s.port + offset;
      const publicPort = s.publicPort ? s.publicPort + offset : undefined;
      const extra: Record<string, string> = publicPort ? { PUBLIC_PORT: String(publicPort) } : {};
      // Reporting's signed download URLs point at its public port.
      if (s.name === 'reporting' && publicPort) extra.PUBLIC_BASE_URL = `http://127.0.0.1:${publicPort}`;
      // Ingestion's intake ports come after the caller's env, unless it set them.
      if (s.name === 'ingestion') for (const [k, v] of Object.entries(ingestionEnv)) if (opts.env?.[k] === undefined) extra[k] = v;
      if (s.name === 'endpoint-response') for (const [k, v] of Object.entries(endpointResponseEnv)) if (opts.env?.[k] === undefined) extra[k] = v;
      spawnOne(s.name, port, extra, publicPort);
      urlEnv[`SUBGRAPH_URL_${s.name.toUpperCase().replace(/-/g, '_')}`] = `http://127.0.0.1:${port}/graphql`;
    }
    const timeout = opts.readyTimeoutMs ?? 60000;
    await Promise.all(processes.map((p) => waitReady(`http://127.0.0.1:${p.port}/health/ready`, p.child, p.name, timeout)));
    const gw = spawnOne('gateway', GATEWAY_PORT + offset, urlEnv);
    await waitReady(`http://127.0.0.1:${gw.port}/health/ready`, gw.child, 'gateway', timeout);
  } catch (err) {
    await stop();
    throw err;
  }
  const ingestion = processes.find((p) => p.name === 'ingestion')!;
  return {
    gatewayUrl: `http://127.0.0.1:${GATEWAY_PORT + offset}/graphql`,
    intake: { https: `http://127.0.0.1:${ingestion.publicPort}`, ...intake },
    edrConsole,
    processes,
    restart: async (name: string) => {
      const launch = launches.get(name);
      if (!launch) throw new Error(`no process ${name} in the suite`);
      const old = processes.find((p) => p.name === name);
      if (old && old.child.exitCode === null && old.child.signalCode === null) throw new Error(`${name} is still running (pid ${old.child.pid})`);
      const p = launch();
      await waitReady(`http://127.0.0.1:${p.port}/health/ready`, p.child, name, opts.readyTimeoutMs ?? 60000);
      return p;
    },
    stop,
  };
}
