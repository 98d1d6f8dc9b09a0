// `npm run bench -- consume`: how many events per second a JetStream consumer of libs/messaging
// takes off a stream and commits (inbox row written, transaction committed, message acked), with
// an empty handler: once with one transaction per event (`register`), once in batches
// (`registerBatch`). Both read the same 50,000 small events, published before the clock starts,
// through durable consumers of their own, against a throwaway database.
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { IsString } from 'class-validator';
import { DataSource } from 'typeorm';
import { dropDatabase, ensureDatabase, messagingTablesV1, messagingTablesV2, withDatabase } from '@kanshi/database';
import { defineEvent } from '@kanshi/events';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { metricsRegistry } from '@kanshi/observability';
import { ensureInfra } from '../scripts/infra';
import { appendBenchmark, table } from './report';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const MAX_BATCH = Number(process.env.BENCH_MAX_BATCH ?? 500);
const SCHEMA = 'bench';

class BenchBody {
  @IsString() name: string;
}
const BenchHappened = defineEvent('incident.bench.happened.v1', 'INCIDENT', BenchBody);

// Committed and acked events of one consumer, as the host counts them.
async function committed(durable: string): Promise<number> {
  const metric = metricsRegistry.getSingleMetric('kanshi_events_processed_total');
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => v.labels.consumer === durable && v.labels.outcome === 'ok').reduce((n, v) => n + v.value, 0);
}

interface Result {
  seconds: number;
  perSecond: number;
  transactions: number;
}

async function measure(ds: DataSource, bus: NatsBus, mode: 'single' | 'batch'): Promise<Result> {
  const durable = `bench-${mode}`;
  const host = new ConsumerHost(ds, bus, { schema: SCHEMA });
  let transactions = 0;
  if (mode === 'single') {
    host.register({ durable, event: BenchHappened, handle: async () => void transactions++ });
  } else {
    host.registerBatch({ durable, event: BenchHappened, maxBatch: MAX_BATCH, handleBatch: async () => void transactions++ });
  }
  const started = performance.now();
  await host.start();
  try {
    const deadline = Date.now() + 600_000;
    while ((await committed(durable)) < EVENTS) {
      if (Date.now() > deadline) throw new Error(`${mode}: only ${await committed(durable)} of ${EVENTS} events committed`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await host.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.inbox WHERE consumer = $1`, [durable]);
  if (n !== EVENTS) throw new Error(`${mode}: ${n} inbox rows for ${EVENTS} events`);
  return { seconds, perSecond: EVENTS / seconds, transactions };
}

export async function run(): Promise<void> {
  const infra = await ensureInfra();
  const url = withDatabase(infra.databaseUrl, `kanshi_bench_consume_${randomBytes(4).toString('hex')}`);
  await ensureDatabase(url);
  const ds = new DataSource({ type: 'postgres', url, poolSize: 4 });
  const bus = await NatsBus.connect({ url: infra.natsUrl, name: 'bench-consume', namespace: `benchc${randomBytes(3).toString('hex')}` });
  const stream = bus.streamNameOf('INCIDENT');
  try {
    await ds.initialize();
    await ds.query(`CREATE SCHEMA ${SCHEMA}`);
    for (const sql of [...messagingTablesV1(SCHEMA).up, ...messagingTablesV2(SCHEMA).up]) await ds.query(sql);
    await bus.ensureStreams(['INCIDENT']);

    const publishStart = performance.now();
    for (let i = 0; i < EVENTS; i += 1000) {
      await Promise.all(
        Array.from({ length: Math.min(1000, EVENTS - i) }, (_, k) => {
          const eventId = randomUUID();
          const envelope = { eventId, subject: BenchHappened.subject, occurredAt: new Date().toISOString(), customerId: null, body: { name: `e${i + k}` } };
          return bus.js.publish(bus.subjectOf(BenchHappened), Buffer.from(JSON.stringify(envelope)), { msgID: eventId });
        }),
      );
    }
    const publishS = (performance.now() - publishStart) / 1000;

    const single = await measure(ds, bus, 'single');
    const batch = await measure(ds, bus, 'batch');

    const rows = [
      ['per message (`register`), one transaction per event', single.perSecond.toFixed(0), single.transactions.toLocaleString('en'), single.seconds.toFixed(1), '1.0'],
      [`batched (\`registerBatch\`, maxBatch ${MAX_BATCH})`, batch.perSecond.toFixed(0), batch.transactions.toLocaleString('en'), batch.seconds.toFixed(1), (batch.perSecond / single.perSecond).toFixed(1)],
    ];
    const head = ['mode', 'events/s', 'transactions', 'seconds', 'ratio'];
    console.log(`${EVENTS} events published in ${publishS.toFixed(1)} s (not timed)`);
    for (const r of rows) console.log(`${r[0].padEnd(60)} ${r[1].padStart(8)} events/s  ${r[2].padStart(7)} transactions  ${r[3]} s`);
    appendBenchmark('consume', [
      `Run ${new Date().toISOString().slice(0, 10)} on this ${cpus().length}-core machine: ${EVENTS.toLocaleString('en')} small events (one string field) published to JetStream before the clock starts, then consumed by a durable consumer with an empty handler until every event is committed (inbox row, transaction commit, ack); each mode reads the whole stream through its own consumer, in one process, against a throwaway database (pool of 4). Load average at the end ${loadavg()[0].toFixed(2)}.`,
      '',
      table(head, rows),
    ]);
  } finally {
    await bus.jsm.streams.delete(stream).catch(() => undefined);
    await bus.drain();
    if (ds.isInitialized) await ds.destroy();
    await dropDatabase(url).catch(() => undefined);
    await infra.stop();
  }
}
