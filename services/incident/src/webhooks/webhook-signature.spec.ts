import { createHmac, timingSafeEqual } from 'node:crypto';
import { generateWebhookSecret, webhookHeaders } from './webhook-signature';

// Written from the Standard Webhooks specification, independently of the signing code: the key
// is the base64 after "whsec_", the signed content "id.timestamp.body", the header a
// space-separated list of "v1,<base64>" signatures.
function verify(secret: string, headers: Record<string, string>, body: string): boolean {
  const key = Buffer.from(secret.split('_')[1], 'base64');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest();
  return headers['webhook-signature'].split(' ').some((s) => {
    const [version, sig] = s.split(',');
    const given = Buffer.from(sig, 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('webhook signatures', () => {
  it('makes whsec_ secrets of 24 random bytes, different each time', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(a);
  });

  it('signs id, timestamp and body so that a receiver following the specification verifies it', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'incident.opened', data: { title: '不審な通信' } });
    const h = webhookHeaders(secret, 'msg_1', 1_700_000_000, body);
    expect(h['webhook-id']).toBe('msg_1');
    expect(h['webhook-timestamp']).toBe('1700000000');
    expect(h['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verify(secret, h, body)).toBe(true);
    expect(verify(secret, h, body.replace('opened', 'closed'))).toBe(false);
    expect(verify(secret, { ...h, 'webhook-timestamp': '1700000001' }, body)).toBe(false);
    expect(verify(generateWebhookSecret(), h, body)).toBe(false);
  });

  it('matches the specification’s published example', () => {
    // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    const h = webhookHeaders(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body);
    expect(h['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});
