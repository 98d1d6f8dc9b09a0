// Idempotent intake under kill -9 (issue 16 item 0): a forwarder sends FortiGate lines over HTTPS,
// four requests in flight, each with its own Idempotency-Key, and resends every request that got
// no 2xx answer (a reset, a refused connection, a 5xx, an answer lost on the way) with the same
// key and body until it gets one. Ingestion is killed with SIGKILL twice while requests are in flight and started again. A
// batch that committed while its answer was lost is answered again from ingestion.intake_request
// and not stored a second time: every line is stored exactly once, as a raw event and as an alert.
import { Client } from 'pg';
import { eventually, gqlOk, isolatedDatabaseUrl, tokenFor } from '@kanshi/testing';
import { chaosLine } from '../../scripts/chaos/chaos-load';
import { signContract } from '../../scripts/seed';
import { Suite } from '../../scripts/suite';
import { bootSuite } from './suite.fixture';

jest.setTimeout(300_000);

const REQUESTS = 40;
const LINES = 50;
const IN_FLIGHT = 4;
// answered requests after which ingestion is killed
const KILL_AFTER = [8, 24];
const LOSE_EVERY = 10;

let suite: Suite;
let db: Client;
let sensor: { id: string; token: string };

beforeAll(async () => {
  const databaseUrl = await isolatedDatabaseUrl();
  suite = await bootSuite({ databaseUrl });
  db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const admin = await tokenFor('provider_admin');
  const { createCustomer } = await gqlOk<{ createCustomer: { id: string } }>(suite.gatewayUrl, admin, 'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }', { i: { name: 'E2E 冪等取込株式会社', partnerId: null } });
  await signContract(suite.gatewayUrl, admin, createCustomer.id);
  sensor = await eventually(
    async () => {
      const { registerSensor } = await gqlOk<{ registerSensor: { sensor: { id: string }; ingestToken: string } }>(
        suite.gatewayUrl,
        admin,
        'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } ingestToken } }',
        { i: { customerId: createCustomer.id, product: 'FORTIGATE', name: 'FGT kill -9' } },
      );
      return { id: registerSensor.sensor.id, token: registerSensor.ingestToken };
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}, 240_000);

afterAll(async () => {
  await db?.end();
  await suite?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function killIngestion(): Promise<void> {
  const p = suite.processes.find((x) => x.name === 'ingestion')!;
  const exited = new Promise((resolve) => p.child.once('exit', resolve));
  p.child.kill('SIGKILL');
  await exited;
  await suite.restart('ingestion');
}

it('stores every line exactly once although ingestion was killed twice mid-way and the sender resent what got no answer', async () => {
  const tally = { answered: 0, attempts: 0, resent: 0, replayed: 0, lost: 0, failures: new Map<string, number>(), wrong: [] as string[] };
  const fail = (why: string) => tally.failures.set(why, (tally.failures.get(why) ?? 0) + 1);
  let next = 0;
  const send = async (n: number) => {
    const body = Array.from({ length: LINES }, (_, i) => chaosLine(`Kill.${n}.${i}`, n * LINES + i + 1)).join('\n');
    for (let attempt = 0; ; attempt++) {
      tally.attempts++;
      if (attempt > 0) tally.resent++;
      try {
        const res = await fetch(`${suite.intake.https}/ingest/v1/sensors/${sensor.id}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${sensor.token}`, 'content-type': 'text/plain', 'idempotency-key': `intake-kill-${n}` },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        const answer = (await res.json()) as { accepted?: number };
        // every LOSE_EVERY-th request loses its first answer on the way back (the batch committed,
        // the sender never heard): deterministic, where a kill's timing is not
        if (res.ok && attempt === 0 && n % LOSE_EVERY === 0) {
          tally.lost++;
          fail('answer lost');
        } else if (res.ok) {
          if (answer.accepted !== LINES) tally.wrong.push(`request ${n}: accepted ${answer.accepted}`);
          if (res.headers.get('idempotent-replayed') === 'true') tally.replayed++;
          tally.answered++;
          return;
        } else fail(String(res.status));
      } catch (err) {
        fail((err as Error).cause ? String(((err as Error).cause as { code?: string }).code ?? (err as Error).name) : (err as Error).name);
      }
      await sleep(Math.min(1000, 100 * 2 ** Math.min(attempt, 4)));
    }
  };
  const senders = Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < REQUESTS) await send(next++);
    }),
  );
  let kills = 0;
  for (const after of KILL_AFTER) {
    while (tally.answered < after) await sleep(5);
    await killIngestion();
    kills++;
  }
  await senders;

  const counts = async (sql: string) =>
    new Map((await db.query<{ m: string; n: string }>(sql, [sensor.id])).rows.map((r) => [r.m, Number(r.n)]));
  const marker = `substring(raw from 'chaos (Kill\\.[0-9]+\\.[0-9]+)')`;
  const raw = await counts(`SELECT ${marker} AS m, count(*) AS n FROM ingestion.raw_event WHERE sensor_id = $1 GROUP BY 1`);
  const alerts = await counts(`SELECT ${marker} AS m, count(*) AS n FROM ingestion.alert WHERE sensor_id = $1 GROUP BY 1`);
  const repeats = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM ingestion.alert WHERE sensor_id = $1 AND repeat_count > 1`, [sensor.id])).rows[0].n;
  const keys = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM ingestion.intake_request WHERE sensor_id = $1`, [sensor.id])).rows[0].n;
  const expected = REQUESTS * LINES;
  const twice = (m: Map<string, number>) => [...m.values()].filter((n) => n > 1).length;
  process.stdout.write(
    `intake-kill: ${REQUESTS} requests of ${LINES} lines, ${kills} kills, ${tally.attempts} attempts, resent ${tally.resent}, answers lost on purpose ${tally.lost}, answered from the first answer ${tally.replayed}, failures ${JSON.stringify(Object.fromEntries(tally.failures))}\n`,
  );

  expect(kills).toBe(2);
  // every answer, first or replayed, said all the lines were accepted
  expect(tally.wrong).toEqual([]);
  // a resend of a committed batch is answered with the first answer (and stores nothing, below)
  expect(tally.lost).toBeGreaterThan(0);
  expect(tally.replayed).toBeGreaterThanOrEqual(tally.lost);
  // the kills caught requests in flight: the sender had to resend
  expect(tally.resent).toBeGreaterThan(0);
  expect({ raw: raw.size, rawTwice: twice(raw), alerts: alerts.size, alertsTwice: twice(alerts), repeats: Number(repeats), keys: Number(keys) }).toEqual({
    raw: expected,
    rawTwice: 0,
    alerts: expected,
    alertsTwice: 0,
    repeats: 0,
    keys: REQUESTS,
  });
});
