import { loadConfig } from '../../config';
import { AddressList } from './address-list';

describe('AddressList', () => {
  it('holds addresses and CIDR blocks of both families', () => {
    const list = AddressList.parse('127.0.0.0/8, ::1, 192.0.2.25 ,2001:db8::/32');
    expect(['127.0.0.1', '127.255.0.9', '::1', '192.0.2.25', '2001:db8::25'].map((a) => list.has(a))).toEqual([true, true, true, true, true]);
    expect(['128.0.0.1', '::2', '192.0.2.26', '2001:db9::1', 'not an address'].map((a) => list.has(a))).toEqual([false, false, false, false, false]);
    expect(AddressList.parse('').has('127.0.0.1')).toBe(false);
  });

  it('names the entry it cannot read', () => {
    expect(() => AddressList.parse('127.0.0.0/8, mail.example.jp')).toThrow('"mail.example.jp" is not an IP address or CIDR block');
    expect(() => AddressList.parse('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not an IP address or CIDR block');
  });

  it('stops the service at boot on a bad SMTP_SENDER_RELAYS, naming it', () => {
    const env = (extra: Record<string, string> = {}) => ({
      NODE_ENV: 'test',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/kanshi',
      NATS_URL: 'nats://127.0.0.1:4222',
      JWT_SECRET: 'config-test-secret-config-test-secret',
      AUTH_MODE: 'hs256',
      ...extra,
    });
    expect(() => loadConfig(env({ SMTP_SENDER_RELAYS: '10.0.0.0/8, relay.example.jp' }))).toThrow(/SMTP_SENDER_RELAYS: "relay.example.jp" is not an IP address or CIDR block/);
    expect(loadConfig(env()).SMTP_SENDER_RELAYS).toBe('127.0.0.0/8, ::1');
  });
});
