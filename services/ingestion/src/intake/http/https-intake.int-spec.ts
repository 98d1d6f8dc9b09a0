import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { AlertReceived, LogsReceived } from '@kanshi/events';
import { gqlOk, tokenFor } from '@kanshi/testing';
import { createCustomer, bootIngestion, published, registerSensor, TestService } from '../../int-spec-helpers';

jest.setTimeout(60_000);

const FIXTURES = path.resolve(__dirname, '../../parsers/__fixtures__');
const FORTIGATE_ALERTS = readFileSync(path.join(FIXTURES, 'fortigate-utm.log'), 'utf8').trim().split('\n');
const FORTIGATE_TRAFFIC = readFileSync(path.join(FIXTURES, 'fortigate-more.log'), 'utf8').trim().split('\n')[0];
const FIREEYE = readFileSync(path.join(FIXTURES, 'fireeye-nx-extended.json'), 'utf8');

let svc: TestService;
beforeAll(async () => {
  svc = await bootIngestion();
});
afterAll(async () => {
  await svc?.close();
});

async function post(sensor: { sensorId: string; token: string }, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sensor.token}`, 'content-type': 'text/plain', ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const count = async (table: string, sensorId: string): Promise<number> =>
  (await svc.ds.query(`SELECT count(*)::int AS n FROM ingestion.${table} WHERE sensor_id = $1`, [sensorId]))[0].n;

describe('HTTPS intake', () => {
  it('answers per line: alerts and logs accepted and stored, a malformed line quarantined with the reason', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'FORTIGATE' });
    const body = [FORTIGATE_ALERTS[0], 'this is not a FortiGate log line at all', FORTIGATE_TRAFFIC, FORTIGATE_ALERTS[1]].join('\n');

    const res = await post(sensor, body);

    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(3);
    expect(res.body.quarantined).toBe(1);
    expect(res.body.results).toEqual([
      { index: 0, status: 'accepted', events: 1, alerts: 1 },
      { index: 1, status: 'quarantined', reason: expect.stringMatching(/FortiGate/) },
      { index: 2, status: 'accepted', events: 1, alerts: 0 },
      { index: 3, status: 'accepted', events: 1, alerts: 1 },
    ]);
    expect(await count('raw_event', sensor.sensorId)).toBe(3);
    expect(await count('alert', sensor.sensorId)).toBe(2);
    const [q] = await svc.ds.query(`SELECT reason, transport, convert_from(raw, 'UTF8') AS raw, customer_id FROM ingestion.quarantine WHERE sensor_id = $1`, [sensor.sensorId]);
    expect(q).toEqual({ reason: res.body.results[1].reason, transport: 'https', raw: 'this is not a FortiGate log line at all', customer_id: customerId });
    const [alert] = await svc.ds.query(`SELECT rule_name, blocked, group_key, source_ip, severity, raw FROM ingestion.alert WHERE sensor_id = $1 AND group_key = '318840177'`, [sensor.sensorId]);
    expect(alert).toEqual({
      rule_name: 'Atlassian.Confluence.OGNL.Injection',
      blocked: true,
      group_key: '318840177',
      source_ip: '10.60.12.25',
      severity: 99,
      raw: FORTIGATE_ALERTS[0],
    });
  });

  it("reads device-local times in the sensor's time zone, and in the new one once it is changed", async () => {
    const { customerId } = await createCustomer(svc);
    // the line without its zone (tz) and epoch (eventtime): only the device's local 2026-11-20 10:10:00
    const local = FORTIGATE_TRAFFIC.replace(/ eventtime=\d+/, '').replace(/ tz="[^"]*"/, '');
    expect(local).not.toMatch(/eventtime|tz=/);
    const tokyo = await registerSensor(svc, customerId, { product: 'FORTIGATE', timeZone: 'Asia/Tokyo' });
    const newYork = await registerSensor(svc, customerId, { product: 'FORTIGATE', timeZone: 'America/New_York' });
    await post(tokyo, local);
    await post(newYork, local);
    const occurred = async (sensorId: string) =>
      (await svc.ds.query(`SELECT occurred_at FROM ingestion.raw_event WHERE sensor_id = $1 ORDER BY received_at`, [sensorId])).map((r: { occurred_at: Date }) => r.occurred_at.toISOString());
    expect(await occurred(tokyo.sensorId)).toEqual(['2026-11-20T01:10:00.000Z']);
    expect(await occurred(newYork.sensorId)).toEqual(['2026-11-20T15:10:00.000Z']);

    await gqlOk(svc.graphql, await tokenFor('provider_admin'), 'mutation($id: ID!, $i: UpdateSensorSettingsInput!) { updateSensorSettings(sensorId: $id, input: $i) { id } }', {
      id: newYork.sensorId,
      i: { timeZone: 'Europe/London' },
    });
    // the same line again, as a new request (its own key: the identical body alone would be a resend)
    await post(newYork, local, { 'idempotency-key': 'after-the-change' });
    expect(await occurred(newYork.sensorId)).toEqual(['2026-11-20T15:10:00.000Z', '2026-11-20T10:10:00.000Z']);
  });

  it('publishes new alerts as alerts.received (through the outbox) and logs as a logs.received batch on JetStream', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'FORTIGATE' });
    await post(sensor, [FORTIGATE_ALERTS[0], FORTIGATE_TRAFFIC, FORTIGATE_TRAFFIC].join('\n'));

    const alerts = await published(svc, AlertReceived, (e) => e.body.sensorId === sensor.sensorId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ customerId, body: { product: 'FORTIGATE', severity: 99, blocked: true, groupKey: '318840177', repeatCount: 1, ruleName: 'Atlassian.Confluence.OGNL.Injection' } });
    expect(alerts[0].body.ecs).toMatchObject({ source: { ip: '10.60.12.25' }, observer: { vendor: 'Fortinet' } });

    const logs = await published(svc, LogsReceived, (e) => e.body.sensorId === sensor.sensorId);
    expect(logs).toHaveLength(1);
    expect(logs[0].customerId).toBe(customerId);
    expect(logs[0].body.records).toHaveLength(2);
    expect(logs[0].body.records[0]).toMatchObject({ event: { kind: 'event' }, source: { ip: '10.20.30.41' } });
  });

  it('counts a repeated alert instead of storing it twice, and tells analysis once', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'FIREEYE_NX' });
    // two requests (their own Idempotency-Keys: without them the second identical body would be a resend)
    expect((await post(sensor, FIREEYE, { 'content-type': 'application/json', 'idempotency-key': 'first' })).status).toBe(200);
    const again = await post(sensor, FIREEYE, { 'content-type': 'application/json', 'idempotency-key': 'second' });
    expect(again.body).toMatchObject({ accepted: 1, quarantined: 0 });

    const rows = await svc.ds.query(`SELECT vendor_event_id, repeat_count FROM ingestion.alert WHERE sensor_id = $1`, [sensor.sensorId]);
    expect(rows).toEqual([{ vendor_event_id: '52716', repeat_count: 2 }]);
    expect(await count('raw_event', sensor.sensorId)).toBe(2);
    const events = await published(svc, AlertReceived, (e) => e.body.sensorId === sensor.sensorId);
    await new Promise((r) => setTimeout(r, 500));
    expect(await published(svc, AlertReceived, (e) => e.body.sensorId === sensor.sensorId)).toHaveLength(events.length);
    expect(events).toHaveLength(1);
  });

  it('stores every record byte for byte, quotes, backslashes, braces, newlines and NULL words included', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'GENERIC_JSON' });
    const records = [
      JSON.stringify({ message: 'path C:\\Users\\佐藤 "quoted" {braces}, commas', severity: 'info' }),
      JSON.stringify({ message: 'NULL', severity: 'info', note: '\\N and \\\\ and \t tab' }),
      '{\n  "message": "pretty\\nprinted",\n  "severity": "info"\n}',
    ];
    const res = await post(sensor, `[${records.join(',')}]`, { 'content-type': 'application/json' });
    expect(res.body.accepted).toBe(3);
    const rows = await svc.ds.query(`SELECT raw FROM ingestion.raw_event WHERE sensor_id = $1 ORDER BY id`, [sensor.sensorId]);
    expect(rows.map((r: { raw: string }) => r.raw)).toEqual(records);
  });

  it('takes a gzip-compressed NDJSON body', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'GENERIC_JSON' });
    const ndjson = readFileSync(path.join(FIXTURES, 'generic.ndjson'));
    const res = await post(sensor, gzipSync(ndjson), { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 3, quarantined: 0 });
    expect(await count('raw_event', sensor.sensorId)).toBe(3);
  });

  it('accepts the other lines of an NDJSON body with one truncated line, and quarantines that line', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'GENERIC_JSON' });
    const res = await post(sensor, '{"message":"one","severity":"info"}\n{"message":"two","sev\n{"message":"three","severity":"info"}\n', { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'quarantined', 'accepted']);
    expect(res.body.results[1].reason).toMatch(/JSON/);
  });

  it('answers 422 with the reason for a truncated JSON document, and keeps it in quarantine', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'FIREEYE_NX' });
    const truncated = FIREEYE.slice(0, 300);
    const res = await post(sensor, truncated, { 'content-type': 'application/json' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ accepted: 0, quarantined: 1, results: [{ index: 0, status: 'quarantined', reason: expect.stringMatching(/Unexpected end of JSON input/) }] });
    const [q] = await svc.ds.query(`SELECT reason, convert_from(raw, 'UTF8') AS raw FROM ingestion.quarantine WHERE sensor_id = $1`, [sensor.sensorId]);
    expect(q.raw).toBe(truncated);
  });

  it('decodes a Shift_JIS body from an older Japanese device instead of garbling it', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'FORTIGATE' });
    const res = await post(sensor, readFileSync(path.join(FIXTURES, 'fortigate-ja.sjis.log')));
    expect(res.status).toBe(200);
    const [raw] = await svc.ds.query(`SELECT raw FROM ingestion.raw_event WHERE sensor_id = $1`, [sensor.sensorId]);
    expect(raw.raw).toContain('devname="FGT-大阪-01"');
    const [alert] = await svc.ds.query(`SELECT user_name, file_name FROM ingestion.alert WHERE sensor_id = $1`, [sensor.sensorId]);
    expect(alert).toEqual({ user_name: '田中太郎', file_name: '請求書_2026年11月.zip' });
  });

  it('quarantines binary data with a reason rather than storing it as an event', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'FORTIGATE' });
    const binary = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37) % 256));
    const res = await post(sensor, binary, { 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(422);
    expect(res.body.results).toEqual([{ index: 0, status: 'quarantined', reason: 'body contains binary data (NUL byte at position 0)' }]);
    const [q] = await svc.ds.query(`SELECT raw FROM ingestion.quarantine WHERE sensor_id = $1`, [sensor.sensorId]);
    expect(Buffer.compare(q.raw, binary)).toBe(0);
    expect(await count('raw_event', sensor.sensorId)).toBe(0);
  });

  it('refuses an unknown sensor, a wrong token and a missing token with 401, storing nothing', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId);
    const wrong = await post({ sensorId: sensor.sensorId, token: 'kst_wrong' }, FORTIGATE_ALERTS[0]);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(wrong.body).toEqual({ error: 'unknown sensor or invalid ingest token' });
    expect((await post({ sensorId: '6f1c2a4e-0000-4000-8000-000000000000', token: sensor.token }, FORTIGATE_ALERTS[0])).status).toBe(401);
    expect((await post({ sensorId: 'not-a-uuid', token: sensor.token }, FORTIGATE_ALERTS[0])).status).toBe(401);
    const noHeader = await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/events`, { method: 'POST', body: FORTIGATE_ALERTS[0] });
    expect(noHeader.status).toBe(401);
    expect(await count('raw_event', sensor.sensorId)).toBe(0);
    expect(await count('quarantine', sensor.sensorId)).toBe(0);
  });

  it('records a heartbeat: the sensor is UP with its last-seen time', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId);
    const res = await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${sensor.token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; lastSeenAt: string };
    expect(body.status).toBe('UP');
    const [row] = await svc.ds.query(`SELECT status, last_seen_at, first_event_at FROM ingestion.sensor WHERE id = $1`, [sensor.sensorId]);
    expect(row.status).toBe('UP');
    expect(row.last_seen_at.toISOString()).toBe(body.lastSeenAt);
    // a heartbeat is not the sensor's first event
    expect(row.first_event_at).toBeNull();
    expect((await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/heartbeat`, { method: 'POST', headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });
});

describe('HTTPS intake limits', () => {
  let limited: TestService;
  beforeAll(async () => {
    limited = await bootIngestion({ INGEST_MAX_BODY_BYTES: '65536', INGEST_RATE_PER_SENSOR: '1', INGEST_BURST_PER_SENSOR: '3' });
  });
  afterAll(async () => {
    await limited?.close();
  });

  const postTo = async (sensor: { sensorId: string; token: string }, body: string | Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(`${limited.url}/ingest/v1/sensors/${sensor.sensorId}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sensor.token}`, 'content-type': 'text/plain', ...headers },
      body,
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
  };

  it('answers 413 for a body over the size limit, compressed or not, storing nothing', async () => {
    const { customerId } = await createCustomer(limited);
    const sensor = await registerSensor(limited, customerId);
    const big = `${FORTIGATE_ALERTS[0]}\n`.repeat(200);
    expect(big.length).toBeGreaterThan(65536);
    expect((await postTo(sensor, big)).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x41));
    expect(bomb.length).toBeLessThan(65536);
    const res = await postTo(sensor, bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(/decompressed body exceeds 65536 bytes/);
    expect((await limited.ds.query(`SELECT count(*)::int AS n FROM ingestion.raw_event WHERE sensor_id = $1`, [sensor.sensorId]))[0].n).toBe(0);
  });

  it('answers 429 with Retry-After once a sensor exceeds its rate, and stores nothing of the refused request', async () => {
    const { customerId } = await createCustomer(limited);
    const sensor = await registerSensor(limited, customerId);
    const other = await registerSensor(limited, customerId);
    // 30 records against a burst of 3 at 1 record/s: 27 s of debt, so the next request is refused
    // however long a busy machine takes over the first
    expect((await postTo(sensor, [FORTIGATE_ALERTS[0], ...Array<string>(29).fill(FORTIGATE_TRAFFIC)].join('\n'))).status).toBe(200);
    const refused = await postTo(sensor, FORTIGATE_ALERTS[1]);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(20);
    expect(refused.body.error).toMatch(/rate limit/);
    expect((await limited.ds.query(`SELECT count(*)::int AS n FROM ingestion.raw_event WHERE sensor_id = $1`, [sensor.sensorId]))[0].n).toBe(30);
    // the limit is per sensor
    expect((await postTo(other, FORTIGATE_ALERTS[1])).status).toBe(200);
  });
});
