import { createHash } from 'node:crypto';

// How a request to intake is recognised when it comes again (a sender resending after it lost
// the answer), as a pure function of what arrived. The key is per sensor (the table's key is
// sensor + request key); its prefix keeps the kinds apart, so a sender's Idempotency-Key can
// never collide with a digest.

export interface IntakeKey {
  // what intake_request.request_key holds
  key: string;
  // SHA-256 (hex) of the content the key stands for: the same key with other content is refused
  digest: string;
  // how long the key is kept
  ttlHours: number;
  // where it came from, for answers and logs
  source: 'idempotency-key' | 'body-digest' | 'message-id' | 'mail-digest';
}

export type HttpKeyResult = { ok: true; key: IntakeKey | null } | { ok: false; error: string };

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
// visible ASCII and space (an RFC 9110 field value without obs-text), as the IETF draft's keys are
const KEY_CHARS = /^[\x20-\x7e]+$/;

const sha256 = (...parts: (string | Uint8Array)[]): string => {
  const h = createHash('sha256');
  parts.forEach((p, i) => {
    if (i > 0) h.update('\0');
    h.update(p);
  });
  return h.digest('hex');
};

// HTTPS: the sender's Idempotency-Key (kept `keyHours`), else a digest of sensor and body within
// the digest window (`digestWindowHours`; 0: no key, every request is stored). `body` is the body
// after Content-Encoding was undone, so a gzipped resend of the same records is the same request.
export function httpIntakeKey(input: { sensorId: string; idempotencyKey: string | undefined; body: Uint8Array; keyHours: number; digestWindowHours: number }): HttpKeyResult {
  const digest = sha256(input.body);
  if (input.idempotencyKey !== undefined) {
    const raw = input.idempotencyKey.trim();
    if (raw.length === 0 || raw.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY_CHARS.test(raw)) {
      return { ok: false, error: `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters` };
    }
    // a structured-field string ("abc") and the bare token abc are the same key
    const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
    return { ok: true, key: { key: `key:${value}`, digest, ttlHours: input.keyHours, source: 'idempotency-key' } };
  }
  if (input.digestWindowHours <= 0) return { ok: true, key: null };
  // of sensor and body, through the body's digest (a body of megabytes is hashed once)
  return { ok: true, key: { key: `body:${sha256(input.sensorId, digest)}`, digest, ttlHours: input.digestWindowHours, source: 'body-digest' } };
}

// SMTP: the Message-ID together with a digest of the alert text (a device that reuses a
// Message-ID for another alert loses nothing), else the digest of the alert text alone. What is
// digested is the text intake reads (body and alert attachments, decoded), so a resend through
// another relay, with other Received headers or another MIME boundary, is still the same mail.
// A mail without any alert text is digested whole (`raw`), so two such mails are not one.
export function mailIntakeKey(input: { sensorId: string; messageId: string | null; alertTexts: string[]; raw: Uint8Array; hours: number }): IntakeKey {
  const content = input.alertTexts.length > 0 ? input.alertTexts.map((t) => t.replace(/\r\n/g, '\n')) : [input.raw];
  const digest = sha256(input.sensorId, ...content);
  const messageId = input.messageId?.trim();
  if (messageId) return { key: `message-id:${messageId.slice(0, 512)} ${digest}`, digest, ttlHours: input.hours, source: 'message-id' };
  return { key: `mail:${digest}`, digest, ttlHours: input.hours, source: 'mail-digest' };
}

// What the sender is told when its key already stands for another body.
export function keyConflictMessage(key: IntakeKey): string {
  const shown = key.key.slice(key.key.indexOf(':') + 1);
  return `Idempotency-Key "${shown}" was already used for a different body (kept ${key.ttlHours} h): send new content with a new key`;
}
