import { httpIntakeKey, keyConflictMessage, mailIntakeKey } from './intake-key';

const SENSOR = '0b9c6f5e-1d2a-4c3b-8e7f-112233445566';
const OTHER = 'a1b2c3d4-0000-4000-8000-000000000001';
const body = (s: string) => Buffer.from(s, 'utf8');
const http = (over: Partial<Parameters<typeof httpIntakeKey>[0]> = {}) =>
  httpIntakeKey({ sensorId: SENSOR, idempotencyKey: undefined, body: body('line 1\nline 2'), keyHours: 24, digestWindowHours: 24, ...over });
const keyOf = (r: ReturnType<typeof httpIntakeKey>) => {
  if (!r.ok) throw new Error(r.error);
  return r.key;
};

describe('HTTPS intake key', () => {
  it("is the sender's Idempotency-Key, kept 24 h, standing for the body's digest", () => {
    const k = keyOf(http({ idempotencyKey: 'batch-0001' }));
    expect(k).toEqual({ key: 'key:batch-0001', digest: expect.stringMatching(/^[0-9a-f]{64}$/), ttlHours: 24, source: 'idempotency-key' });
  });

  it('gives the same key another digest when the body differs (answered 422 by intake)', () => {
    const a = keyOf(http({ idempotencyKey: 'k1' }))!;
    const b = keyOf(http({ idempotencyKey: 'k1', body: body('line 1\nline 3') }))!;
    expect(a.key).toBe(b.key);
    expect(a.digest).not.toBe(b.digest);
    expect(keyConflictMessage(a)).toBe('Idempotency-Key "k1" was already used for a different body (kept 24 h): send new content with a new key');
  });

  it('reads a quoted (structured field) key as the bare one, and trims spaces', () => {
    expect(keyOf(http({ idempotencyKey: '"8e03978e-40d5"' }))!.key).toBe('key:8e03978e-40d5');
    expect(keyOf(http({ idempotencyKey: '  abc ' }))!.key).toBe('key:abc');
  });

  it('refuses an empty, too long or non-ASCII key with an error naming the header', () => {
    for (const bad of ['', '   ', 'x'.repeat(256), 'clé', 'a\tb']) {
      expect(http({ idempotencyKey: bad })).toEqual({ ok: false, error: 'Idempotency-Key must be 1 to 255 visible ASCII characters' });
    }
    expect(keyOf(http({ idempotencyKey: 'x'.repeat(255) }))!.key).toHaveLength(4 + 255);
  });

  it('without a key: a digest of sensor and body, within the digest window', () => {
    const k = keyOf(http())!;
    expect(k).toEqual({ key: expect.stringMatching(/^body:[0-9a-f]{64}$/), digest: expect.any(String), ttlHours: 24, source: 'body-digest' });
    expect(keyOf(http())!.key).toBe(k.key);
    expect(keyOf(http({ digestWindowHours: 6 }))!.ttlHours).toBe(6);
    // another body, another sensor: another key
    expect(keyOf(http({ body: body('line 1\nline 2\n') }))!.key).not.toBe(k.key);
    expect(keyOf(http({ sensorId: OTHER }))!.key).not.toBe(k.key);
  });

  it('without a key and a window of 0: no key (every body is stored)', () => {
    expect(http({ digestWindowHours: 0 })).toEqual({ ok: true, key: null });
    // an explicit key still counts
    expect(keyOf(http({ digestWindowHours: 0, idempotencyKey: 'k' }))!.key).toBe('key:k');
  });

  it('never confuses a sender key with a digest', () => {
    const digest = keyOf(http())!.key;
    expect(keyOf(http({ idempotencyKey: digest }))!.key).toBe(`key:${digest}`);
  });
});

describe('SMTP intake key', () => {
  const mail = (over: Partial<Parameters<typeof mailIntakeKey>[0]> = {}) =>
    mailIntakeKey({ sensorId: SENSOR, messageId: '<abc@fe.example>', alertTexts: ['alert 52716'], raw: body('From: x\r\n\r\nalert 52716'), hours: 168, ...over });

  it('is the Message-ID with the alert text digest, kept 168 h', () => {
    const k = mail();
    expect(k).toEqual({ key: expect.stringMatching(/^message-id:<abc@fe\.example> [0-9a-f]{64}$/), digest: expect.any(String), ttlHours: 168, source: 'message-id' });
    // a resend through another relay (other headers) is the same mail
    expect(mail({ raw: body('Received: by relay2\r\nFrom: x\r\n\r\nalert 52716') }).key).toBe(k.key);
    // CRLF or LF line ends are the same text
    expect(mail({ alertTexts: ['a\r\nb'] }).key).toBe(mail({ alertTexts: ['a\nb'] }).key);
  });

  it('the same Message-ID with another alert is another mail (a device reusing ids loses nothing)', () => {
    expect(mail({ alertTexts: ['alert 52717'] }).key).not.toBe(mail().key);
  });

  it('without a Message-ID: the digest of the alert text; without alert text: of the whole mail', () => {
    expect(mail({ messageId: null })).toEqual({ key: expect.stringMatching(/^mail:[0-9a-f]{64}$/), digest: expect.any(String), ttlHours: 168, source: 'mail-digest' });
    expect(mail({ messageId: null }).key).toBe(mail({ messageId: '  ' }).key);
    const empty = (raw: string) => mail({ messageId: null, alertTexts: [], raw: body(raw) }).key;
    expect(empty('Subject: a\r\n\r\n')).not.toBe(empty('Subject: b\r\n\r\n'));
  });

  it("is per sensor: another sensor's same mail has another key", () => {
    expect(mail({ sensorId: OTHER }).key).not.toBe(mail().key);
  });
});
