import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dropDatabase, ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';
import { ensureInfra } from '../scripts/infra';
import { SERVICES } from '../scripts/services';
import { startSuite } from '../scripts/suite';
import { appendBenchmark, table } from './report';

// How long the whole suite takes from spawn to every /health/ready answering 200, and the
// resident memory of each process once started (after a few seconds' settling).
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export async function run(): Promise<void> {
  const infra = await ensureInfra();
  const dbUrl = withDatabase(infra.databaseUrl, `kanshi_bench_${randomBytes(4).toString('hex')}`);
  await ensureDatabase(dbUrl);
  for (const s of SERVICES) await migrateSchema(dbUrl, s.schema);
  const rows: string[][] = [];
  const starts: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      const suite = await startSuite({ databaseUrl: dbUrl, natsUrl: infra.natsUrl, natsNamespace: `boot${randomBytes(3).toString('hex')}`, jwtSecret: 'startup-secret-startup-secret-startup', portOffset: 3000, env: { LOG_LEVEL: 'warn' } });
      starts.push(Date.now() - t0);
      if (i === 2) {
        await new Promise((r) => setTimeout(r, 3000));
        for (const p of suite.processes) rows.push([p.name, rssMiB(p.child.pid!).toFixed(0)]);
      }
      await suite.stop();
    }
  } finally {
    await dropDatabase(dbUrl).catch(() => undefined);
    await infra.stop();
  }
  const total = rows.reduce((n, r) => n + Number(r[1]), 0);
  console.log(`suite start (spawn to all seven ready), 3 runs: ${starts.map((s) => `${(s / 1000).toFixed(1)} s`).join(', ')}`);
  rows.forEach((r) => console.log(`  ${r[0].padEnd(18)} ${r[1].padStart(4)} MiB RSS`));
  console.log(`  total              ${total.toFixed(0).padStart(4)} MiB RSS`);
  appendBenchmark('startup', [
    `Run ${new Date().toISOString().slice(0, 10)}: the six services start in parallel, then the gateway; time from spawn until every \`/health/ready\` answers 200 (migrations already applied): ${starts.map((s) => `${(s / 1000).toFixed(1)} s`).join(', ')} over 3 runs.`,
    '',
    table(['process', 'RSS after start (MiB)'], [...rows, ['total', total.toFixed(0)]]),
  ]);
}
