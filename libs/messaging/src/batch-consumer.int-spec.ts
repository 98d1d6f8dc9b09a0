import { randomUUID } from 'node:crypto';
import { IsInt, IsString } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { messagingTablesV1, messagingTablesV2 } from '@kanshi/database';
import { defineEvent, EventEnvelope } from '@kanshi/events';
import { eventually, testDatabaseUrl, testNamespace, testNatsUrl } from '@kanshi/testing';
import { ConsumerHost } from './event-consumer';
import { NatsBus } from './nats-bus';

class ThingAddedBody {
  @IsString() name: string;
  @IsInt() amount: number;
}
const ThingAdded = defineEvent('incident.thing.added.v1', 'INCIDENT', ThingAddedBody);

jest.setTimeout(30000);

const schema = `batchtest_${randomUUID().slice(0, 8)}`;
let ds: DataSource;
let bus: NatsBus;
const hosts: ConsumerHost[] = [];

interface Call {
  names: string[];
  ids: string[];
  deliveryCounts: number[];
}

interface HostOptions {
  durable?: string;
  maxDeliveries?: number;
  maxBatch?: number;
  maxWaitMs?: number;
  ackWaitMs?: number;
  // runs after the batch's rows are written, inside its transaction
  after?: (events: EventEnvelope<ThingAddedBody>[], em: EntityManager, deliveryCounts: number[]) => Promise<void>;
  ds?: DataSource;
  bus?: NatsBus;
  keep?: boolean;
}

// The batch's effect: one `applied` row per event, written with one statement in the batch's transaction.
function newBatchHost(o: HostOptions = {}) {
  const calls: Call[] = [];
  const durable = o.durable ?? `batch-${randomUUID().slice(0, 8)}`;
  const host = new ConsumerHost(o.ds ?? ds, o.bus ?? bus, { schema, backoffMs: () => 50, ackWaitMs: o.ackWaitMs });
  host.registerBatch({
    durable,
    event: ThingAdded,
    maxDeliveries: o.maxDeliveries ?? 3,
    maxBatch: o.maxBatch,
    maxWaitMs: o.maxWaitMs,
    handleBatch: async (events, { em, deliveryCounts }) => {
      calls.push({ names: events.map((e) => e.body.name), ids: events.map((e) => e.eventId), deliveryCounts });
      await em.query(`INSERT INTO "${schema}".applied (event_id, name) SELECT * FROM unnest($1::uuid[], $2::text[])`, [events.map((e) => e.eventId), events.map((e) => e.body.name)]);
      await o.after?.(events, em, deliveryCounts);
    },
  });
  if (!o.keep) hosts.push(host);
  return { host, calls, durable };
}

function envelope(name: string, eventId: string = randomUUID()) {
  return { eventId, subject: ThingAdded.subject, occurredAt: new Date().toISOString(), customerId: null, body: { name, amount: 2 } };
}

// Started in order on one connection, so JetStream stores them in this order.
async function publish(payloads: unknown[]): Promise<void> {
  for (let i = 0; i < payloads.length; i += 200) {
    await Promise.all(
      payloads.slice(i, i + 200).map((p) => bus.js.publish(bus.subjectOf(ThingAdded), Buffer.from(typeof p === 'string' ? p : JSON.stringify(p)), { msgID: randomUUID() })),
    );
  }
}

const applied = async (): Promise<{ event_id: string; name: string }[]> => ds.query(`SELECT event_id, name FROM "${schema}".applied ORDER BY id`);
const count = async (table: string): Promise<number> => (await ds.query(`SELECT count(*)::int AS n FROM "${schema}".${table}`))[0].n;
const consumerInfo = (durable: string) => bus.jsm.consumers.info(bus.streamNameOf('INCIDENT'), durable);
// Purging keeps the stream's sequence numbers: positions are counted from the last one before a test publishes.
const lastSeq = async (): Promise<number> => (await bus.jsm.streams.info(bus.streamNameOf('INCIDENT'))).state.last_seq;
// Every message up to `seq` delivered and acknowledged (or terminated): none comes back.
const ackedUpTo = async (durable: string, seq: number) => {
  const info = await consumerInfo(durable);
  expect(info.delivered.stream_seq).toBe(seq);
  expect(info.num_ack_pending).toBe(0);
  expect(info.num_pending).toBe(0);
  expect(info.num_redelivered).toBe(0);
};

beforeAll(async () => {
  ds = new DataSource({ type: 'postgres', url: testDatabaseUrl() });
  await ds.initialize();
  await ds.query(`CREATE SCHEMA "${schema}"`);
  for (const sql of [...messagingTablesV1(schema).up, ...messagingTablesV2(schema).up]) await ds.query(sql);
  await ds.query(`CREATE TABLE "${schema}".applied (id serial PRIMARY KEY, event_id uuid NOT NULL, name text NOT NULL)`);
  bus = await NatsBus.connect({ url: testNatsUrl(), name: 'batch-consumer-int-spec', namespace: `${testNamespace()}b` });
  await bus.ensureStreams(['INCIDENT']);
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
  await bus.jsm.streams.purge(bus.streamNameOf('INCIDENT'));
  await ds.query(`TRUNCATE "${schema}".inbox, "${schema}".dead_letter, "${schema}".applied`);
});

afterAll(async () => {
  await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
  await ds.destroy();
  await bus.jsm.streams.delete(bus.streamNameOf('INCIDENT')).catch(() => undefined);
  await bus.drain();
});

describe('batched consumer', () => {
  it('applies 1,000 events exactly once, in stream order, in far fewer transactions than events, and acks them all', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => envelope(`e${i}`));
    const base = await lastSeq();
    await publish(events);
    const { host, calls, durable } = newBatchHost();
    await host.start();
    await eventually(async () => expect(await count('applied')).toBe(1000), { timeoutMs: 20000 });
    expect((await applied()).map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
    expect(calls.length).toBeLessThan(50);
    expect(calls.flatMap((c) => c.ids)).toEqual(events.map((e) => e.eventId));
    expect(Math.max(...calls.map((c) => c.ids.length))).toBeLessThanOrEqual(500);
    expect(await count('inbox')).toBe(1000);
    await eventually(() => ackedUpTo(durable, base + 1000));
  });

  it('hands an event the consumer already applied to no handler again, in the same batch or a later one, and acks it', async () => {
    const twice = envelope('twice');
    const base = await lastSeq();
    // Different message ids: JetStream stores every copy, the inbox stops the repeats.
    await publish([twice, envelope('a'), twice]);
    const { host, calls, durable } = newBatchHost({ maxWaitMs: 200 });
    await host.start();
    await eventually(async () => expect((await applied()).map((r) => r.name)).toEqual(['twice', 'a']));
    await publish([twice, envelope('b')]);
    await eventually(async () => expect((await applied()).map((r) => r.name)).toEqual(['twice', 'a', 'b']));
    expect(calls.flatMap((c) => c.names)).toEqual(['twice', 'a', 'b']);
    await eventually(() => ackedUpTo(durable, base + 5));
  });

  it('parks invalid messages in the middle of a batch one by one and applies the rest of the batch together', async () => {
    const base = await lastSeq();
    await publish([envelope('good1'), '{"not json', { ...envelope('bad'), body: { name: 'bad', amount: 'many' } }, envelope('good2')]);
    const { host, calls, durable } = newBatchHost({ maxWaitMs: 200 });
    await host.start();
    await eventually(async () => expect((await applied()).map((r) => r.name)).toEqual(['good1', 'good2']));
    expect(calls.map((c) => c.names)).toEqual([['good1', 'good2']]);
    const dead: { error: string; payload: string; deliveries: number }[] = await ds.query(`SELECT error, payload, deliveries FROM "${schema}".dead_letter ORDER BY id`);
    expect(dead.map((d) => d.error)).toEqual([expect.stringMatching(/payload is not JSON/), expect.stringMatching(/body: amount: amount must be an integer number/)]);
    expect(dead[0].payload).toBe('{"not json');
    await eventually(() => ackedUpTo(durable, base + 4));
  });

  it('commits the rest of a batch whose handler fails for one event, retries that one alone and parks it after the maximum deliveries', async () => {
    const { host, calls, durable } = newBatchHost({
      maxWaitMs: 200,
      maxDeliveries: 3,
      after: async (events) => {
        if (events.some((e) => e.body.name === 'poison')) throw new Error('cannot apply poison');
      },
    });
    const base = await lastSeq();
    await publish([envelope('a'), envelope('poison'), envelope('b'), envelope('c')]);
    await host.start();
    await eventually(async () => {
      const dead: { error: string; deliveries: number; event_id: string }[] = await ds.query(`SELECT error, deliveries FROM "${schema}".dead_letter`);
      expect(dead).toEqual([{ error: 'Error: cannot apply poison', deliveries: 3 }]);
    }, { timeoutMs: 15000 });
    expect((await applied()).map((r) => r.name)).toEqual(['a', 'b', 'c']);
    // the whole batch twice, then each event alone; the poison alone on every later delivery
    expect(calls.slice(0, 2).map((c) => c.names)).toEqual([['a', 'poison', 'b', 'c'], ['a', 'poison', 'b', 'c']]);
    expect(calls.slice(2, 6).map((c) => c.names)).toEqual([['a'], ['poison'], ['b'], ['c']]);
    expect(calls.filter((c) => c.names.includes('poison')).map((c) => c.deliveryCounts)).toEqual([[1, 1, 1, 1], [1, 1, 1, 1], [1], [2], [3]]);
    await eventually(() => ackedUpTo(durable, base + 4));
  });

  it('commits nothing of a batch whose process dies before the commit; the batch is redelivered and applied once', async () => {
    const durable = `batch-crash-${randomUUID().slice(0, 6)}`;
    const events = Array.from({ length: 5 }, (_, i) => envelope(`c${i}`));
    await publish(events);
    // The dying process has its own connections, both cut while its transaction is open.
    const deadDs = new DataSource({ type: 'postgres', url: testDatabaseUrl(), poolSize: 1 });
    await deadDs.initialize();
    const deadBus = await NatsBus.connect({ url: testNatsUrl(), name: 'batch-consumer-dying', namespace: `${testNamespace()}b` });
    let backendPid = 0;
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    const dying = newBatchHost({
      durable,
      ackWaitMs: 1000,
      maxWaitMs: 200,
      ds: deadDs,
      bus: deadBus,
      keep: true,
      after: async (_events, em) => {
        backendPid = (await em.query('SELECT pg_backend_pid() AS pid'))[0].pid;
        wrote();
        // the process freezes here and is killed
        await new Promise(() => undefined);
      },
    });
    await dying.host.start();
    await written;
    expect(dying.calls.map((c) => c.names)).toEqual([events.map((e) => e.body.name)]);
    // Its stop never returns (the batch in hand never ends); it only stops the pulling.
    void dying.host.stop();
    await deadBus.nc.close();
    await ds.query('SELECT pg_terminate_backend($1)', [backendPid]);
    expect(await count('applied')).toBe(0);
    expect(await count('inbox')).toBe(0);

    const { host, calls } = newBatchHost({ durable, ackWaitMs: 1000, maxWaitMs: 200 });
    await host.start();
    await eventually(async () => expect((await applied()).map((r) => r.event_id)).toEqual(events.map((e) => e.eventId)), { timeoutMs: 15000 });
    // redelivered: the dead process never acked
    expect(calls.flatMap((c) => c.deliveryCounts).every((n) => n >= 2)).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await count('applied')).toBe(5);
    expect(calls.flatMap((c) => c.ids)).toHaveLength(5);
  });

  it('on stop, pulls no more, finishes the batch in hand, acks it, and only then returns', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const durable = `batch-stop-${randomUUID().slice(0, 6)}`;
    const { host, calls } = newBatchHost({
      durable,
      maxBatch: 5,
      ackWaitMs: 1000,
      after: async () => {
        entered();
        await gate;
      },
    });
    const base = await lastSeq();
    await publish(Array.from({ length: 20 }, (_, i) => envelope(`s${i}`)));
    await host.start();
    await inHandler;
    let stopped = false;
    const stopping = host.stop().then(() => (stopped = true));
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(stopped).toBe(false);
      expect((await consumerInfo(durable)).ack_floor.stream_seq).toBeLessThanOrEqual(base);
    } finally {
      release();
    }
    await stopping;
    expect(calls).toHaveLength(1);
    expect((await applied()).map((r) => r.name)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    await eventually(async () => expect((await consumerInfo(durable)).ack_floor.stream_seq).toBe(base + 5));

    // A new instance carries on with the rest, and the stopped one's batch is not applied again.
    const next = newBatchHost({ durable, ackWaitMs: 1000 });
    await next.host.start();
    await eventually(async () => expect(await count('applied')).toBe(20), { timeoutMs: 15000 });
    const rest = next.calls.flatMap((c) => c.names).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    expect(rest).toEqual(Array.from({ length: 15 }, (_, i) => `s${i + 5}`));
  });
});
