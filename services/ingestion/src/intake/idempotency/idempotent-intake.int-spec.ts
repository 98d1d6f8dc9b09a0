// Idempotent intake (issue 16 item 0): a sender that lost the answer and sends again stores
// nothing twice. HTTPS by Idempotency-Key (else a digest of the body within a window), SMTP by
// Message-ID; per sensor; the key written in the batch's own transaction.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { bootIngestion, createCustomer, freePort, registerSensor, RegisteredSensor, TestService } from '../../int-spec-helpers';
import { IntakeRequestPurge } from './intake-request-purge.service';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '../../parsers/__fixtures__');
const FORTIGATE = readFileSync(path.join(FIXTURES, 'fortigate-utm.log'), 'utf8').trim().split('\n');
const FIREEYE = readFileSync(path.join(FIXTURES, 'fireeye-nx-extended.json'), 'utf8');
const DOMAIN = 'intake.test.kanshi.local';

let svc: TestService;
let smtpPort: number;
let customerId: string;

beforeAll(async () => {
  smtpPort = await freePort();
  svc = await bootIngestion({ SMTP_PORT: String(smtpPort), INTAKE_MAIL_DOMAIN: DOMAIN });
  customerId = (await createCustomer(svc)).customerId;
});
afterAll(async () => {
  await svc?.close();
});

// `n` FortiGate lines, each its own alert (its own incidentserialno), tagged with `tag`.
const lines = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => FORTIGATE[0].replace(/incidentserialno=\d+/, `incidentserialno=${900000 + i}`).replace(/msg="[^"]*"/, `msg="${tag} ${i}"`)).join('\n');

async function post(sensor: RegisteredSensor, body: string, key?: string) {
  const res = await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sensor.token}`, 'content-type': 'text/plain', ...(key !== undefined ? { 'idempotency-key': key } : {}) },
    body,
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as Record<string, unknown> };
}

const count = async (table: 'raw_event' | 'alert' | 'quarantine', sensorId: string): Promise<number> =>
  (await svc.ds.query(`SELECT count(*)::int AS n FROM ingestion.${table} WHERE sensor_id = $1`, [sensorId]))[0].n;
const keys = (sensorId: string): Promise<{ request_key: string; transport: string; status: number; hours: number }[]> =>
  svc.ds.query(
    `SELECT request_key, transport, status, round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM ingestion.intake_request WHERE sensor_id = $1 ORDER BY created_at`,
    [sensorId],
  );

describe('idempotent HTTPS intake', () => {
  it('answers a resend with the same Idempotency-Key with the first answer, marked replayed, and stores nothing', async () => {
    const sensor = await registerSensor(svc, customerId);
    const body = `${lines('same-key', 3)}\nnot a FortiGate line`;
    const first = await post(sensor, body, 'batch-0001');
    expect(first).toEqual({ status: 200, replayed: null, body: expect.objectContaining({ accepted: 3, quarantined: 1 }) });

    const again = await post(sensor, body, 'batch-0001');

    expect(again).toEqual({ status: 200, replayed: 'true', body: first.body });
    expect(await count('raw_event', sensor.sensorId)).toBe(3);
    expect(await count('quarantine', sensor.sensorId)).toBe(1);
    expect(await svc.ds.query(`SELECT repeat_count FROM ingestion.alert WHERE sensor_id = $1`, [sensor.sensorId])).toEqual([{ repeat_count: 1 }, { repeat_count: 1 }, { repeat_count: 1 }]);
    expect(await keys(sensor.sensorId)).toEqual([{ request_key: 'key:batch-0001', transport: 'https', status: 200, hours: 24 }]);
  });

  it('replays a first answer that was a 422 (nothing usable) as a 422', async () => {
    const sensor = await registerSensor(svc, customerId);
    const first = await post(sensor, 'garbage one\ngarbage two', 'bad-1');
    expect(first.status).toBe(422);
    expect(await post(sensor, 'garbage one\ngarbage two', 'bad-1')).toEqual({ status: 422, replayed: 'true', body: first.body });
    expect(await count('quarantine', sensor.sensorId)).toBe(2);
  });

  it('refuses the same key with a different body: 422 naming the key, nothing stored', async () => {
    const sensor = await registerSensor(svc, customerId);
    await post(sensor, lines('first-body', 2), 'reused-key');

    const other = await post(sensor, lines('second-body', 2), 'reused-key');

    expect(other).toEqual({
      status: 422,
      replayed: null,
      body: { error: 'Idempotency-Key "reused-key" was already used for a different body (kept 24 h): send new content with a new key' },
    });
    expect(await count('raw_event', sensor.sensorId)).toBe(2);
  });

  it('refuses a malformed Idempotency-Key with 400 naming the header', async () => {
    const sensor = await registerSensor(svc, customerId);
    const res = await post(sensor, lines('bad-key', 1), 'x'.repeat(300));
    expect(res).toEqual({ status: 400, replayed: null, body: { error: 'Idempotency-Key must be 1 to 255 visible ASCII characters' } });
    expect(await count('raw_event', sensor.sensorId)).toBe(0);
  });

  it('without a key: an identical body within the window is a resend; another body is stored', async () => {
    const sensor = await registerSensor(svc, customerId);
    const body = lines('no-key', 2);
    const first = await post(sensor, body);
    const again = await post(sensor, body);
    const different = await post(sensor, lines('no-key-other', 2));

    expect(again).toEqual({ status: 200, replayed: 'true', body: first.body });
    expect(different).toMatchObject({ status: 200, replayed: null });
    expect(await count('raw_event', sensor.sensorId)).toBe(4);
    const stored = await keys(sensor.sensorId);
    expect(stored.map((k) => [k.request_key.slice(0, 5), k.hours])).toEqual([
      ['body:', 24],
      ['body:', 24],
    ]);
  });

  it('once the window has passed, the identical body is stored again', async () => {
    const sensor = await registerSensor(svc, customerId);
    const body = lines('expiry', 2);
    await post(sensor, body);
    await post(sensor, body, 'k-expiry');
    expect([(await post(sensor, body)).replayed, (await post(sensor, body, 'k-expiry')).replayed]).toEqual(['true', 'true']);
    // two lines by digest, the same two by key
    expect(await count('raw_event', sensor.sensorId)).toBe(4);
    // 25 hours later, as far as the keys are concerned
    await svc.ds.query(`UPDATE ingestion.intake_request SET created_at = created_at - interval '25 hours', expires_at = expires_at - interval '25 hours' WHERE sensor_id = $1`, [sensor.sensorId]);

    const later = await post(sensor, body);
    const laterKeyed = await post(sensor, body, 'k-expiry');

    expect([later.replayed, laterKeyed.replayed]).toEqual([null, null]);
    expect(await count('raw_event', sensor.sensorId)).toBe(8);
    // the expired rows were taken over by the new requests, now live again
    expect((await keys(sensor.sensorId)).map((k) => k.hours)).toEqual([24, 24]);
  });

  it('the purge job deletes expired keys only', async () => {
    const sensor = await registerSensor(svc, customerId);
    await post(sensor, lines('purge-old', 1), 'old');
    await post(sensor, lines('purge-new', 1), 'new');
    await svc.ds.query(`UPDATE ingestion.intake_request SET expires_at = now() - interval '1 second' WHERE sensor_id = $1 AND request_key = 'key:old'`, [sensor.sensorId]);

    expect(await svc.app.get(IntakeRequestPurge).run()).toBeGreaterThanOrEqual(1);

    expect((await keys(sensor.sensorId)).map((k) => k.request_key)).toEqual(['key:new']);
  });

  it('stores concurrent requests with the same key once: the others answer the first answer', async () => {
    const sensor = await registerSensor(svc, customerId);
    const body = lines('concurrent', 50);

    const answers = await Promise.all(Array.from({ length: 6 }, () => post(sensor, body, 'concurrent-1')));

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.replayed === null)).toHaveLength(1);
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(await count('raw_event', sensor.sensorId)).toBe(50);
    expect(await count('alert', sensor.sensorId)).toBe(50);
  });

  it("keeps keys per sensor: another sensor's same key and body is stored", async () => {
    const a = await registerSensor(svc, customerId);
    const other = await createCustomer(svc);
    const b = await registerSensor(svc, other.customerId);
    const body = lines('per-sensor', 2);

    await post(a, body, 'shared-key');
    const res = await post(b, body, 'shared-key');

    expect(res).toMatchObject({ status: 200, replayed: null });
    expect([await count('raw_event', a.sensorId), await count('raw_event', b.sensorId)]).toEqual([2, 2]);
  });
});

describe('idempotent SMTP intake', () => {
  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });

  it('accepts a mail sent again with the same Message-ID (250) and stores nothing new', async () => {
    const sensor = await registerSensor(svc, customerId, { product: 'FIREEYE_NX' });
    const mail = { from: 'nx01@example-customer.jp', to: `${sensor.sensorId}+${sensor.token}@${DOMAIN}`, subject: 'FireEye Alert', text: FIREEYE, messageId: '<alert-52716@nx01.example-customer.jp>' };

    const first = await transport().sendMail(mail);
    const again = await transport().sendMail({ ...mail, headers: { Received: 'from relay2 by mx.soc.test' } });

    expect([first.response, again.response]).toEqual([expect.stringMatching(/^250 /), expect.stringMatching(/^250 /)]);
    expect(await count('raw_event', sensor.sensorId)).toBe(1);
    expect(await svc.ds.query(`SELECT repeat_count FROM ingestion.alert WHERE sensor_id = $1`, [sensor.sensorId])).toEqual([{ repeat_count: 1 }]);
    expect(await keys(sensor.sensorId)).toEqual([{ request_key: expect.stringMatching(/^message-id:<alert-52716@nx01\.example-customer\.jp> [0-9a-f]{64}$/), transport: 'smtp', status: 250, hours: 168 }]);
  });

  it('stores a mail with another Message-ID, and one reusing a Message-ID for another alert', async () => {
    const sensor = await registerSensor(svc, customerId, { product: 'FIREEYE_NX' });
    const to = `${sensor.sensorId}+${sensor.token}@${DOMAIN}`;
    await transport().sendMail({ from: 'nx01@example-customer.jp', to, subject: 'a', text: FIREEYE, messageId: '<m1@nx01>' });
    await transport().sendMail({ from: 'nx01@example-customer.jp', to, subject: 'a', text: FIREEYE, messageId: '<m2@nx01>' });
    await transport().sendMail({ from: 'nx01@example-customer.jp', to, subject: 'a', text: FIREEYE.replace('52716', '52799'), messageId: '<m1@nx01>' });

    expect(await count('raw_event', sensor.sensorId)).toBe(3);
  });
});
