import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventually, gqlOk, gqlRequest, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, registerSensor, TestService } from '../int-spec-helpers';
import { addMonths, monthPartition } from './partition-calendar';
import { RawEventsRepository } from './raw-events.repository';
import { RetentionService } from './retention.service';

jest.setTimeout(60_000);

let svc: TestService;
beforeAll(async () => {
  svc = await bootIngestion();
});
afterAll(async () => {
  await svc?.close();
});

const partitions = async (): Promise<string[]> =>
  (await svc.ds.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'ingestion' AND c.relname LIKE 'raw\\_event\\_r%' ORDER BY 1`)).map(
    (r: { relname: string }) => r.relname,
  );

async function insertRaw(p: { retention: number; receivedAt: Date; customerId: string; sensorId: string; raw: string }): Promise<void> {
  await svc.ds.query(
    `INSERT INTO ingestion.raw_event (received_at, retention_months, occurred_at, customer_id, sensor_id, product, transport, kind, severity, raw)
     VALUES ($1, $2, $1, $3, $4, 'FORTIGATE', 'udp', 'event', 0, $5)`,
    [p.receivedAt, p.retention, p.customerId, p.sensorId, p.raw],
  );
}

describe('raw event storage and retention', () => {
  it('creates the partitions of this month and the months ahead at boot', async () => {
    const now = new Date();
    const names = await partitions();
    for (const months of [0, 1, 2]) expect(names).toContain(monthPartition(3, addMonths(now, months)).name);
  });

  it('drops whole month partitions past their retention, after moving the events of customers whose retention grew', async () => {
    const now = new Date();
    const old = addMonths(now, -5);
    const threeMonths = await createCustomer(svc);
    const grew = await createCustomer(svc, { retentionMonths: 12 });
    const s1 = await registerSensor(svc, threeMonths.customerId);
    const s2 = await registerSensor(svc, grew.customerId);
    const expired = monthPartition(3, old);
    await svc.app.get(RawEventsRepository).ensurePartitions([expired]);
    // Both were written under a 3-month contract; the second customer's is 12 months now.
    await insertRaw({ retention: 3, receivedAt: old, customerId: threeMonths.customerId, sensorId: s1.sensorId, raw: 'old event of a 3-month customer' });
    await insertRaw({ retention: 3, receivedAt: old, customerId: grew.customerId, sensorId: s2.sensorId, raw: 'old event of a customer now on 12 months' });
    await svc.ds.query(
      `INSERT INTO ingestion.quarantine (received_at, sensor_id, customer_id, transport, reason, raw) VALUES ($1, $2, $3, 'udp', 'old', '\\x00'::bytea)`,
      [old, s1.sensorId, threeMonths.customerId],
    );
    expect(await partitions()).toContain(expired.name);

    await svc.app.get(RetentionService).run(now);

    // The service's own retention job may have run first and done part of it: check the outcome.
    expect(await svc.ds.query(`SELECT 1 FROM ingestion.quarantine WHERE sensor_id = $1`, [s1.sensorId])).toEqual([]);
    const names = await partitions();
    expect(names).not.toContain(expired.name);
    expect(names).toContain(monthPartition(12, old).name);
    expect(names).toContain(monthPartition(3, now).name);
    const left = await svc.ds.query(`SELECT customer_id, retention_months, raw FROM ingestion.raw_event WHERE sensor_id = ANY($1::uuid[])`, [[s1.sensorId, s2.sensorId]]);
    expect(left).toEqual([{ customer_id: grew.customerId, retention_months: 12, raw: 'old event of a customer now on 12 months' }]);
  });

  it('drops a month while a search reads the class: the drop waits for the search instead of deadlocking with it', async () => {
    const now = new Date();
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId);
    const expired = monthPartition(3, addMonths(now, -7));
    await svc.app.get(RawEventsRepository).ensurePartitions([expired]);
    await insertRaw({ retention: 3, receivedAt: addMonths(now, -7), customerId: c.customerId, sensorId: s.sensorId, raw: 'an event seven months old' });
    const search = svc.ds.createQueryRunner();
    await search.connect();
    try {
      await search.startTransaction();
      // a search over this month holds the class table; then retention starts dropping the old month
      await search.query(`SELECT count(*) FROM ingestion.raw_event WHERE retention_months = 3 AND received_at >= $1`, [monthPartition(3, now).from]);
      const drop = svc.app.get(RawEventsRepository).dropPartition(expired, now);
      await new Promise((r) => setTimeout(r, 300));
      // the same search now reads the old month too (what a search over a longer range does)
      const rows: { raw: string }[] = await search.query(`SELECT raw FROM ingestion.raw_event WHERE sensor_id = $1`, [s.sensorId]);
      expect(rows).toEqual([{ raw: 'an event seven months old' }]);
      await search.commitTransaction();
      await expect(drop).resolves.toBe(0);
    } finally {
      await search.release();
    }
    expect(await partitions()).not.toContain(expired.name);
  });

  it('writes each customer’s events in the partition of its retention class', async () => {
    const c = await createCustomer(svc, { retentionMonths: 6 });
    const s = await registerSensor(svc, c.customerId);
    const res = await fetch(`${svc.url}/ingest/v1/sensors/${s.sensorId}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'text/plain' },
      body: readFileSync(path.resolve(__dirname, '../parsers/__fixtures__/fortigate-more.log'), 'utf8').split('\n')[0],
    });
    expect(res.status).toBe(200);
    const [row] = await svc.ds.query(`SELECT tableoid::regclass::text AS partition FROM ingestion.raw_event WHERE sensor_id = $1`, [s.sensorId]);
    expect(row.partition).toBe(`ingestion.${monthPartition(6, new Date()).name}`);
  });
});

describe('raw event storage when a partition went missing', () => {
  it('creates the month partition another replica dropped and stores the batch, in one retried transaction', async () => {
    const c = await createCustomer(svc, { retentionMonths: 9 });
    const s = await registerSensor(svc, c.customerId);
    // the same lines twice, as two requests (their own keys: the identical body alone would be a resend)
    const send = (key: string) =>
      fetch(`${svc.url}/ingest/v1/sensors/${s.sensorId}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'text/plain', 'idempotency-key': key },
        body: readFileSync(path.resolve(__dirname, '../parsers/__fixtures__/fortigate-more.log'), 'utf8').split('\n').slice(0, 2).join('\n'),
      });
    expect((await send('before')).status).toBe(200);
    // the service believes the partition exists; it is gone, so the COPY finds no partition
    const month = monthPartition(9, new Date()).name;
    await svc.ds.query(`DROP TABLE ingestion.${month}`);
    const res = await send('after');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2, quarantined: 0 });
    const rows = await svc.ds.query(`SELECT tableoid::regclass::text AS partition FROM ingestion.raw_event WHERE sensor_id = $1`, [s.sensorId]);
    expect(rows.map((r: { partition: string }) => r.partition)).toEqual([`ingestion.${month}`, `ingestion.${month}`]);
  });
});

describe('raw event search', () => {
  const SEARCH = `query($f: RawEventFilter!, $first: Int, $after: String) { rawEvents(filter: $f, first: $first, after: $after) {
    edges { node { id raw customerId sensorId transport kind receivedAt } } pageInfo { hasNextPage endCursor } } }`;

  it('finds raw events by time range and text for analysts, newest first, page by page', async () => {
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId, { product: 'GENERIC_JSON' });
    const marker = randomUUID();
    const body = [1, 2, 3].map((i) => JSON.stringify({ message: `login failed ${marker} #${i}`, severity: 'info' })).join('\n') + `\n{"message":"unrelated","severity":"info"}`;
    await fetch(`${svc.url}/ingest/v1/sensors/${s.sensorId}/events`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/x-ndjson' }, body });
    const analyst = await tokenFor('analyst');
    const f = { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), text: marker.toUpperCase() };

    const first = await gqlOk<{ rawEvents: { edges: { node: { raw: string; sensorId: string; transport: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      svc.graphql,
      analyst,
      SEARCH,
      { f, first: 2 },
    );
    expect(first.rawEvents.edges).toHaveLength(2);
    expect(first.rawEvents.pageInfo.hasNextPage).toBe(true);
    expect(first.rawEvents.edges[0].node).toMatchObject({ sensorId: s.sensorId, transport: 'https' });
    const second = await gqlOk<{ rawEvents: { edges: { node: { raw: string } }[]; pageInfo: { hasNextPage: boolean } } }>(svc.graphql, analyst, SEARCH, {
      f,
      first: 2,
      after: first.rawEvents.pageInfo.endCursor,
    });
    expect(second.rawEvents.pageInfo.hasNextPage).toBe(false);
    const all = [...first.rawEvents.edges, ...second.rawEvents.edges].map((e) => e.node.raw);
    expect(all.sort()).toEqual([1, 2, 3].map((i) => JSON.stringify({ message: `login failed ${marker} #${i}`, severity: 'info' })).sort());
  });

  it('pages in id order where ids gain a digit (99, 100, 101), without repeating a row', async () => {
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId);
    const at = new Date(Date.now() - 60_000);
    const marker = randomUUID();
    for (const id of [98, 99, 100, 101]) {
      await svc.ds.query(
        `INSERT INTO ingestion.raw_event (id, received_at, retention_months, occurred_at, customer_id, sensor_id, product, transport, kind, severity, raw)
         VALUES ($1, $2, 3, $2, $3, $4, 'FORTIGATE', 'udp', 'event', 0, $5)`,
        [id, at, c.customerId, s.sensorId, `${marker} row ${id}`],
      );
    }
    const analyst = await tokenFor('analyst');
    const f = { from: new Date(at.getTime() - 1000).toISOString(), to: new Date().toISOString(), text: marker };
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const { rawEvents } = await gqlOk<{ rawEvents: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(svc.graphql, analyst, SEARCH, { f, first: 1, after });
      seen.push(...rawEvents.edges.map((e) => e.node.id));
      if (!rawEvents.pageInfo.hasNextPage) break;
      after = rawEvents.pageInfo.endCursor;
    }
    expect(seen).toEqual(['101', '100', '99', '98']);
  });

  it('stops a search that takes too long and asks for a narrower one', async () => {
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId);
    // enough lines that a substring scan over them takes well over the few milliseconds allowed
    await svc.ds.query(
      `INSERT INTO ingestion.raw_event (received_at, retention_months, occurred_at, customer_id, sensor_id, product, transport, kind, severity, raw)
       SELECT now() - make_interval(secs => i % 60), 3, now(), $1, $2, 'FORTIGATE', 'udp', 'event', 0, repeat('date=2026-11-20 devname=FGT-HQ-01 ', 8) || i
       FROM generate_series(1, 200000) AS i`,
      [c.customerId, s.sensorId],
    );
    const hasty = await bootIngestion({ RAW_SEARCH_TIMEOUT_MS: '5' });
    try {
      const f = { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), text: 'no such text anywhere' };
      const res = await gqlRequest(hasty.graphql, await tokenFor('analyst'), SEARCH, { f, first: 10 });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SEARCH_TOO_BROAD', field: 'filter' });
      expect(res.errors?.[0].message).toBe('the search did not finish within 0.005 s: narrow the time range, or add customerId, sensorId or kind');
      // the same search with the default limit finishes (and finds nothing)
      const ok = await gqlOk<{ rawEvents: { edges: unknown[] } }>(svc.graphql, await tokenFor('analyst'), SEARCH, { f, first: 10 });
      expect(ok.rawEvents.edges).toEqual([]);
    } finally {
      await hasty.close();
      await svc.ds.query(`DELETE FROM ingestion.raw_event WHERE sensor_id = $1`, [s.sensorId]);
    }
  });

  it('is for provider staff only, over at most 93 days', async () => {
    const c = await createCustomer(svc);
    const f = { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date().toISOString() };
    const customer = await gqlRequest(svc.graphql, await tokenFor('customer_admin', { customerId: c.customerId }), SEARCH, { f });
    expect(customer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const partner = await gqlRequest(svc.graphql, await tokenFor('partner_admin', { partnerId: randomUUID() }), SEARCH, { f });
    expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const long = await gqlRequest(svc.graphql, await tokenFor('analyst'), SEARCH, { f: { from: '2026-01-01T00:00:00Z', to: '2026-11-01T00:00:00Z' } });
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });
});

describe('retention on its own', () => {
  const expire = async (monthsAgo: number, via: TestService, customerId: string, sensorId: string) => {
    const p = monthPartition(3, addMonths(new Date(), -monthsAgo));
    await via.app.get(RawEventsRepository).ensurePartitions([p]);
    await insertRaw({ retention: 3, receivedAt: addMonths(new Date(), -monthsAgo), customerId, sensorId, raw: `expired ${monthsAgo} months ago` });
    expect(await partitions()).toContain(p.name);
    return p.name;
  };
  const dropped = (name: string) => eventually(async () => expect(await partitions()).not.toContain(name), { timeoutMs: 10_000 });

  it('drops expired partitions when the service starts, long before its first interval', async () => {
    const { customerId } = await createCustomer(svc);
    const { sensorId } = await registerSensor(svc, customerId);
    const name = await expire(7, svc, customerId, sensorId);
    const restarted = await bootIngestion({ RETENTION_INTERVAL_MS: '3600000' });
    try {
      await dropped(name);
    } finally {
      await restarted.close();
    }
  });

  it('drops expired partitions on its interval, without being asked', async () => {
    const { customerId } = await createCustomer(svc);
    const { sensorId } = await registerSensor(svc, customerId);
    const running = await bootIngestion({ RETENTION_INTERVAL_MS: '1000' });
    try {
      // the first might still go to the run made at start; the second can only go to the timer's
      await dropped(await expire(8, running, customerId, sensorId));
      await dropped(await expire(9, running, customerId, sensorId));
    } finally {
      await running.close();
    }
  });
});
