import { randomUUID } from 'node:crypto';
import { IsInt, IsString } from 'class-validator';
import { headers as natsHeaders } from 'nats';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { messagingTablesV1, messagingTablesV2 } from '@kanshi/database';
import { defineEvent, EventEnvelope } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { withCorrelationId } from '@kanshi/observability';
import { eventually, testDatabaseUrl, testNamespace, testNatsUrl } from '@kanshi/testing';
import { ConsumerHost, PermanentEventError } from './event-consumer';
import { NatsBus } from './nats-bus';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';

class ThingAddedBody {
  @IsString() name: string;
  @IsInt() amount: number;
}
// A test-only event on a stream of its own kind; subjects are namespaced per run.
const ThingAdded = defineEvent('incident.thing.added.v1', 'INCIDENT', ThingAddedBody);

const schema = `msgtest_${randomUUID().slice(0, 8)}`;
let ds: DataSource;
let bus: NatsBus;
const relays: OutboxRelay[] = [];
const hosts: ConsumerHost[] = [];

function newRelay(afterPublish?: (ids: string[]) => Promise<void>): OutboxRelay {
  const r = new OutboxRelay(ds, bus, { schema, databaseUrl: testDatabaseUrl(), pollIntervalMs: 100, afterPublish });
  relays.push(r);
  return r;
}

// The consumer's effect: one row per applied event, in the same transaction as the inbox row.
function newHost(handle?: (e: EventEnvelope<ThingAddedBody>, deliveryCount: number) => Promise<void>, durable = `test-${randomUUID().slice(0, 8)}`, maxDeliveries = 3) {
  const host = new ConsumerHost(ds, bus, { schema, backoffMs: () => 50 });
  host.register({
    durable,
    event: ThingAdded,
    maxDeliveries,
    handle: async (event, { em, deliveryCount }) => {
      await handle?.(event, deliveryCount);
      await em.query(`INSERT INTO "${schema}".applied (event_id, name, amount, correlation_id) VALUES ($1, $2, $3, $4)`, [
        event.eventId,
        event.body.name,
        event.body.amount,
        event.correlationId ?? null,
      ]);
    },
  });
  hosts.push(host);
  return host;
}

async function addThing(name: string, amount = 1): Promise<string> {
  return ds.transaction(async (em) => {
    await em.query(`INSERT INTO "${schema}".thing (name) VALUES ($1)`, [name]);
    return new Outbox(schema).add(em, ThingAdded, { name, amount }, { customerId: null });
  });
}

const applied = async (name?: string): Promise<{ event_id: string; name: string; correlation_id: string | null }[]> =>
  ds.query(`SELECT event_id, name, correlation_id FROM "${schema}".applied ${name ? 'WHERE name = $1' : ''} ORDER BY id`, name ? [name] : []);

beforeAll(async () => {
  ds = new DataSource({ type: 'postgres', url: testDatabaseUrl() });
  await ds.initialize();
  await ds.query(`CREATE SCHEMA "${schema}"`);
  for (const sql of [...messagingTablesV1(schema).up, ...messagingTablesV2(schema).up]) await ds.query(sql);
  await ds.query(`CREATE TABLE "${schema}".thing (id serial PRIMARY KEY, name text NOT NULL)`);
  await ds.query(`CREATE TABLE "${schema}".applied (id serial PRIMARY KEY, event_id uuid NOT NULL, name text NOT NULL, amount int NOT NULL, correlation_id text)`);
  bus = await NatsBus.connect({ url: testNatsUrl(), name: 'messaging-int-spec', namespace: `${testNamespace()}m` });
  await bus.ensureStreams(['INCIDENT']);
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
  await Promise.all(relays.splice(0).map((r) => r.stop()));
  await bus.jsm.streams.purge(bus.streamNameOf('INCIDENT'));
  await ds.query(`TRUNCATE "${schema}".outbox, "${schema}".inbox, "${schema}".dead_letter, "${schema}".thing, "${schema}".applied`);
});

afterAll(async () => {
  await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
  await ds.destroy();
  await bus.jsm.streams.delete(bus.streamNameOf('INCIDENT')).catch(() => undefined);
  await bus.drain();
});

describe('transactional outbox', () => {
  it('refuses to write an event outside a transaction', async () => {
    await expect(new Outbox(schema).add(ds.manager, ThingAdded, { name: 'x', amount: 1 }, { customerId: null })).rejects.toThrow(/inside a transaction/);
  });

  it('writes no event when the state change rolls back', async () => {
    await expect(
      ds.transaction(async (em) => {
        await new Outbox(schema).add(em, ThingAdded, { name: 'rolled-back', amount: 1 }, { customerId: null });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM "${schema}".outbox`);
    expect(n).toBe(0);
  });

  it('delivers a committed event to a consumer, which applies it once', async () => {
    await newHost().start();
    await newRelay().start();
    const eventId = await withCorrelationId('corr-123', () => addThing('alpha', 5));
    await eventually(async () => expect(await applied('alpha')).toHaveLength(1));
    const [row] = await applied('alpha');
    expect(row.event_id).toBe(eventId);
    expect(row.correlation_id).toBe('corr-123');
    const [{ published_at }] = await ds.query(`SELECT published_at FROM "${schema}".outbox WHERE event_id = $1`, [eventId]);
    expect(published_at).toBeInstanceOf(Date);
  });

  it('listens again when PostgreSQL ends its LISTEN connection, so an event still goes out at its commit and not on the next poll', async () => {
    await newHost().start();
    // polling once a minute: only the notification can deliver the events within the test
    const relay = new OutboxRelay(ds, bus, { schema, databaseUrl: testDatabaseUrl(), pollIntervalMs: 60_000 });
    relays.push(relay);
    await relay.start();
    await addThing('before');
    await eventually(async () => expect(await applied('before')).toHaveLength(1));
    const app = `kanshi-${schema}-relay`;
    const [{ n }] = await ds.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1`, [app]);
    expect(n).toBe(1);
    await eventually(async () => expect(await ds.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`, [app])).toHaveLength(1));
    await addThing('after');
    await eventually(async () => expect(await applied('after')).toHaveLength(1), { timeoutMs: 5000 });
  });

  it('publishes events committed while no relay ran, once one starts (crash before publish)', async () => {
    const ids = [await addThing('b1'), await addThing('b2'), await addThing('b3')];
    await newHost().start();
    await newRelay().start();
    await eventually(async () => expect((await applied()).map((r) => r.event_id)).toEqual(ids));
  });

  it('applies an event exactly once when the relay dies after publishing and before marking it sent', async () => {
    await newHost().start();
    const eventId = await addThing('crash');
    const dying = newRelay(async () => {
      throw new Error('relay process killed');
    });
    // The dying relay publishes, then "crashes": its transaction rolls back, the row stays unsent.
    await expect(dying.publishBatch()).rejects.toThrow('relay process killed');
    const [{ published_at }] = await ds.query(`SELECT published_at FROM "${schema}".outbox WHERE event_id = $1`, [eventId]);
    expect(published_at).toBeNull();
    await eventually(async () => expect(await applied('crash')).toHaveLength(1));
    // A new relay publishes the same row again; JetStream drops the duplicate by message id.
    await newRelay().start();
    await eventually(async () => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM "${schema}".outbox WHERE published_at IS NOT NULL`);
      expect(n).toBe(1);
    });
    const info = await bus.jsm.streams.info(bus.streamNameOf('INCIDENT'));
    expect(info.state.messages).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await applied('crash')).toHaveLength(1);
  });

  it('prunes published rows past their keeping time, and never an unsent one', async () => {
    const [oldSent, recentSent, oldUnsent] = [await addThing('old'), await addThing('recent'), await addThing('unsent')];
    await ds.query(`UPDATE "${schema}".outbox SET published_at = now() - interval '8 days' WHERE event_id = $1`, [oldSent]);
    await ds.query(`UPDATE "${schema}".outbox SET published_at = now() - interval '1 day' WHERE event_id = $1`, [recentSent]);
    await ds.query(`UPDATE "${schema}".outbox SET created_at = now() - interval '30 days' WHERE event_id = $1`, [oldUnsent]);
    expect(await newRelay().prune(7)).toBe(1);
    const left: { event_id: string }[] = await ds.query(`SELECT event_id FROM "${schema}".outbox ORDER BY seq`);
    expect(left.map((r) => r.event_id)).toEqual([recentSent, oldUnsent]);
  });

  it('prunes on its schedule, on the job queue, without being asked', async () => {
    const [oldSent, recentSent] = [await addThing('old'), await addThing('recent')];
    await ds.query(`UPDATE "${schema}".outbox SET published_at = now() - interval '8 days' WHERE event_id = $1`, [oldSent]);
    await ds.query(`UPDATE "${schema}".outbox SET published_at = now() - interval '1 day' WHERE event_id = $1`, [recentSent]);
    const jobs = new JobQueue(ds, { schema: `${schema}_jobs`, pollIntervalMs: 500, cronCheckSeconds: 1 });
    // every minute: fires at the first cron check
    newRelay().schedulePrune(jobs, '* * * * *');
    await jobs.start();
    try {
      await eventually(async () => {
        const left: { event_id: string }[] = await ds.query(`SELECT event_id FROM "${schema}".outbox ORDER BY seq`);
        expect(left.map((r) => r.event_id)).toEqual([recentSent]);
      });
    } finally {
      await jobs.stop();
      await ds.query(`DROP SCHEMA "${schema}_jobs" CASCADE`);
    }
  });
});

describe('consumer inbox, retries and dead letters', () => {
  async function publishRaw(payload: unknown, msgID = randomUUID(), correlationId?: string): Promise<void> {
    const h = natsHeaders();
    if (correlationId) h.set('x-correlation-id', correlationId);
    await bus.js.publish(bus.subjectOf(ThingAdded), Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), { msgID, headers: h });
  }

  function envelope(name: string, eventId = randomUUID()) {
    return { eventId, subject: ThingAdded.subject, occurredAt: new Date().toISOString(), customerId: null, body: { name, amount: 2 } };
  }

  it('has one effect when the same event is delivered twice', async () => {
    await newHost().start();
    const event = envelope('twice');
    // Different message ids: JetStream stores both, the inbox stops the second.
    await publishRaw(event);
    await publishRaw(event);
    await publishRaw(envelope('after'));
    await eventually(async () => expect(await applied('after')).toHaveLength(1));
    expect(await applied('twice')).toHaveLength(1);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM "${schema}".inbox WHERE event_id = $1`, [event.eventId]);
    expect(n).toBe(1);
  });

  it('parks an invalid event in the dead-letter table with its reason and carries on', async () => {
    const durable = `test-dead-${randomUUID().slice(0, 6)}`;
    await newHost(undefined, durable).start();
    await publishRaw('{"not json');
    await publishRaw({ ...envelope('bad'), body: { name: 'bad', amount: 'many' } });
    await publishRaw(envelope('good'));
    await eventually(async () => expect(await applied('good')).toHaveLength(1));
    const dead: { error: string; payload: string }[] = await ds.query(`SELECT error, payload FROM "${schema}".dead_letter ORDER BY id`);
    expect(dead).toHaveLength(2);
    expect(dead[0].error).toMatch(/payload is not JSON/);
    expect(dead[0].payload).toBe('{"not json');
    expect(dead[1].error).toMatch(/body: amount: amount must be an integer number/);
    expect(await applied('bad')).toHaveLength(0);
    // terminated, so never redelivered and parked again
    await eventually(async () => expect((await bus.jsm.consumers.info(bus.streamNameOf('INCIDENT'), durable)).num_ack_pending).toBe(0));
  });

  it('retries a failing handler, rolls back its partial writes, and applies the event once it succeeds', async () => {
    const seen: number[] = [];
    await newHost(async (event, deliveryCount) => {
      seen.push(deliveryCount);
      await ds.query(`INSERT INTO "${schema}".thing (name) VALUES ('side effect outside the transaction')`);
      if (deliveryCount < 3) throw new Error('database of a partner system is down');
    }, undefined, 5).start();
    await publishRaw(envelope('flaky'));
    await eventually(async () => expect(await applied('flaky')).toHaveLength(1), { timeoutMs: 15000 });
    expect(seen).toEqual([1, 2, 3]);
    const dead = await ds.query(`SELECT 1 FROM "${schema}".dead_letter`);
    expect(dead).toHaveLength(0);
  });

  it('parks an event that keeps failing after the maximum deliveries, and the consumer carries on', async () => {
    await newHost(async (event) => {
      if (event.body.name === 'poison') throw new Error('cannot apply poison');
    }, undefined, 3).start();
    await publishRaw(envelope('poison'));
    await publishRaw(envelope('next'));
    await eventually(async () => expect(await applied('next')).toHaveLength(1), { timeoutMs: 15000 });
    await eventually(async () => {
      const dead: { error: string; deliveries: number }[] = await ds.query(`SELECT error, deliveries FROM "${schema}".dead_letter`);
      expect(dead).toEqual([{ error: 'Error: cannot apply poison', deliveries: 3 }]);
    });
  });

  it('never parks an event whose handler met PostgreSQL unreachable, however many deliveries that takes', async () => {
    const seen: number[] = [];
    await newHost(async (event, deliveryCount) => {
      seen.push(deliveryCount);
      // a real connection refused (the database restarting), more often than the maximum deliveries
      if (deliveryCount <= 5) await new Client({ connectionString: 'postgres://postgres@127.0.0.1:1/kanshi', connectionTimeoutMillis: 1000 }).connect();
    }, undefined, 3).start();
    await publishRaw(envelope('outage'));
    await eventually(async () => expect(await applied('outage')).toHaveLength(1), { timeoutMs: 30000 });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await ds.query(`SELECT 1 FROM "${schema}".dead_letter`)).toHaveLength(0);
  });

  it('parks a permanent failure at once', async () => {
    let calls = 0;
    await newHost(async () => {
      calls++;
      throw new PermanentEventError('customer is unknown to this contract');
    }).start();
    await publishRaw(envelope('permanent'));
    await eventually(async () => expect(await ds.query(`SELECT 1 FROM "${schema}".dead_letter`)).toHaveLength(1));
    expect(calls).toBe(1);
  });

  it('resumes from where a durable consumer stopped, without reapplying', async () => {
    const durable = `test-resume-${randomUUID().slice(0, 6)}`;
    const first = newHost(undefined, durable);
    await first.start();
    await publishRaw(envelope('r1'));
    await eventually(async () => expect(await applied('r1')).toHaveLength(1));
    await first.stop();
    await publishRaw(envelope('r2'));
    await newHost(undefined, durable).start();
    await eventually(async () => expect(await applied('r2')).toHaveLength(1));
    expect(await applied('r1')).toHaveLength(1);
  });

  it('subscribes again when its subscription ends under it (the consumer vanished, as across a NATS restart), and applies what comes next once', async () => {
    const durable = `test-vanish-${randomUUID().slice(0, 6)}`;
    await newHost(undefined, durable).start();
    await publishRaw(envelope('v1'));
    await eventually(async () => expect(await applied('v1')).toHaveLength(1));
    // The client ends a consume() whose consumer the server no longer knows; before, nothing
    // consumed again while the process stayed up.
    await bus.jsm.consumers.delete(bus.streamNameOf('INCIDENT'), durable);
    await publishRaw(envelope('v2'));
    await eventually(async () => expect(await applied('v2')).toHaveLength(1), { timeoutMs: 20000 });
    // The new consumer starts from the stream's beginning: the inbox keeps v1 applied once.
    expect(await applied('v1')).toHaveLength(1);
  });

  it('with lanes, keeps each key in stream order and lets other keys pass a slow one', async () => {
    const host = new ConsumerHost(ds, bus, { schema, backoffMs: () => 50 });
    const order: string[] = [];
    host.register({
      durable: `test-${randomUUID().slice(0, 8)}`,
      event: ThingAdded,
      concurrency: 4,
      orderKey: (e) => e.body.name.split('#')[0],
      handle: async (event, { em }) => {
        // the first of key "slow" takes long: other keys must not wait for it, its own must
        if (event.body.name === 'slow#1') await new Promise((r) => setTimeout(r, 1500));
        order.push(event.body.name);
        await em.query(`INSERT INTO "${schema}".applied (event_id, name, amount) VALUES ($1, $2, $3)`, [event.eventId, event.body.name, event.body.amount]);
      },
    });
    hosts.push(host);
    const names = ['slow#1', 'slow#2', 'c#1', 'b#1', 'c#2', 'slow#3', 'b#2', 'c#3'];
    for (const name of names) await addThing(name);
    await host.start();
    await newRelay().start();
    await eventually(async () => expect(await applied()).toHaveLength(names.length), { timeoutMs: 15_000 });
    for (const key of ['slow', 'c', 'b']) expect(order.filter((n) => n.startsWith(`${key}#`))).toEqual(names.filter((n) => n.startsWith(`${key}#`)));
    // c and b (other lanes than slow's) were not held up behind slow#1
    expect(order.indexOf('c#3')).toBeLessThan(order.indexOf('slow#1'));
    expect(order.indexOf('b#2')).toBeLessThan(order.indexOf('slow#1'));
    expect(() => host.register({ durable: 'x', event: ThingAdded, concurrency: 2, handle: async () => undefined })).toThrow(/orderKey/);
  });
});
