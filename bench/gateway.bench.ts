import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { signDevToken } from '@kanshi/auth';
import { dropDatabase, ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';
import { ensureInfra } from '../scripts/infra';
import { gql, signContract } from '../scripts/seed';
import { distDir, SERVICES } from '../scripts/services';
import { startSuite } from '../scripts/suite';
import { appendBenchmark, table } from './report';

// Throughput and latency of one query sent straight to a subgraph, the same query through
// Kanshi's gateway, and a query joining two subgraphs; the two gateway queries again through a
// plain NestJS ApolloGatewayDriver (the reference). One run, same machine, same subgraphs.
// Ports 41xx+OFFSET; not 6000 (X11), which fetch() refuses to call.
const OFFSET = 3000;
const SECRET = 'bench-secret-bench-secret-bench-secret';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
// Each case runs ROUNDS times for DURATION seconds, the cases interleaved, and the median round is
// reported: on a 2-core machine whose load varies, this keeps one case from getting a quiet spell.
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CUSTOMERS = 20;

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

type Case = readonly [name: string, url: string, query: string];

async function once(c: Case, token: string, seconds: number): Promise<Result> {
  const r = await autocannon({
    url: c[1],
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: c[2] }),
  });
  return { name: c[0], rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(cases: Case[], token: string): Promise<Result[]> {
  for (const c of cases) await once(c, token, 2); // warm-up: JIT, connection pools, query plan cache
  const rounds: Result[][] = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < cases.length; i++) rounds[i].push(await once(cases[i], token, DURATION));
  }
  return rounds.map((rs, i) => ({
    name: cases[i][0],
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    errors: rs.reduce((n, r) => n + r.errors, 0),
  }));
}

export async function run(): Promise<void> {
  const infra = await ensureInfra();
  const dbUrl = withDatabase(infra.databaseUrl, `kanshi_bench_${randomBytes(4).toString('hex')}`);
  await ensureDatabase(dbUrl);
  for (const s of SERVICES) await migrateSchema(dbUrl, s.schema);
  const suite = await startSuite({ databaseUrl: dbUrl, natsUrl: infra.natsUrl, natsNamespace: `bench${randomBytes(3).toString('hex')}`, jwtSecret: SECRET, portOffset: OFFSET, env: { LOG_LEVEL: 'warn' } });
  const refPort = 4000 + OFFSET + 1;
  const reference = fork(path.join(distDir(), 'bench', 'reference-gateway.js'), [], {
    env: { ...process.env, PORT: String(refPort), PORT_OFFSET: String(OFFSET), SUPERGRAPH_PATH: path.resolve(distDir(), '..', 'gateway', 'supergraph.graphql') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      reference.once('message', () => resolve());
      reference.once('exit', (code) => reject(new Error(`reference gateway exited (${code})`)));
    });
    const admin = await signDevToken({ sub: 'bench', role: 'provider_admin' }, SECRET, 3600);
    for (let i = 0; i < CUSTOMERS; i++) {
      const { createCustomer } = await gql<{ createCustomer: { id: string } }>(suite.gatewayUrl, admin, 'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }', { i: { name: `Bench customer ${i}` } });
      await signContract(suite.gatewayUrl, admin, createCustomer.id);
      for (let attempt = 0; ; attempt++) {
        try {
          await gql(suite.gatewayUrl, admin, 'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } } }', { i: { customerId: createCustomer.id, product: 'FORTIGATE', name: `FGT ${i}` } });
          break;
        } catch (err) {
          if (attempt > 100) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
    const single = '{ sensors { id name status lastSeenAt } }';
    const join = '{ customers { id name sensors { id name status } } }';
    const subgraph = `http://127.0.0.1:${4102 + OFFSET}/graphql`;
    const referenceUrl = `http://127.0.0.1:${refPort}/graphql`;
    console.log(`gateway benchmark: ${CUSTOMERS} customers with a sensor each, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${DURATION} s rounds per case`);
    const results = await measure(
      [
        ['subgraph direct: sensors', subgraph, single],
        ['kanshi gateway: sensors', suite.gatewayUrl, single],
        ['reference gateway: sensors', referenceUrl, single],
        ['kanshi gateway: customers+sensors join', suite.gatewayUrl, join],
        ['reference gateway: customers+sensors join', referenceUrl, join],
      ],
      admin,
    );
    for (const r of results) console.log(`  ${r.name.padEnd(44)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  errors ${r.errors}`);
    const [direct, gwSingle, refSingle, gwJoin, refJoin] = results;
    const ratios = [
      `kanshi gateway / subgraph direct (sensors): ${(gwSingle.rps / direct.rps).toFixed(2)}x req/s`,
      `reference gateway / subgraph direct (sensors): ${(refSingle.rps / direct.rps).toFixed(2)}x req/s`,
      `kanshi / reference, sensors: ${(gwSingle.rps / refSingle.rps).toFixed(2)}x req/s, p99 ${(gwSingle.p99 / Math.max(refSingle.p99, 1)).toFixed(2)}x`,
      `kanshi / reference, join: ${(gwJoin.rps / refJoin.rps).toFixed(2)}x req/s (target >= 1.5x), p99 ${(gwJoin.p99 / Math.max(refJoin.p99, 1)).toFixed(2)}x (target <= 0.67x)`,
    ];
    ratios.forEach((l) => console.log(`  ${l}`));
    if (results.some((r) => r.errors > 0)) console.log('  WARNING: some requests failed; figures are not comparable');
    appendBenchmark('gateway', [
      `Run ${new Date().toISOString().slice(0, 10)} on this 2-core machine: ${CUSTOMERS} customers with one sensor each, autocannon with ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${DURATION} s rounds per case after a 2 s warm-up, provider_admin token. The load generator shares the two cores with the seven processes.`,
      '',
      table(['case', 'req/s', 'p50 ms', 'p99 ms'], results.map((r) => [r.name, r.rps.toFixed(0), String(r.p50), String(r.p99)])),
      '',
      ...ratios.map((r) => `- ${r}`),
    ]);
  } finally {
    reference.kill('SIGTERM');
    await suite.stop();
    await dropDatabase(dbUrl).catch(() => undefined);
    await infra.stop();
  }
}
