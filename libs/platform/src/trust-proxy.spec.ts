// X-Forwarded-For is believed only from the proxies TRUST_PROXY names: a caller writing the header
// itself cannot choose the address the audit trail records.
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { createServiceApp } from './bootstrap';
import { trustProxyOf } from './trust-proxy';

@Module({})
class EmptyModule {}

async function addressSeen(trustProxy: string | undefined, forwardedFor: string | undefined): Promise<string> {
  const before = process.env.TRUST_PROXY;
  if (trustProxy === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = trustProxy;
  let app: NestFastifyApplication | undefined;
  try {
    app = await createServiceApp(EmptyModule, { service: 'trust-proxy-spec', port: 0 });
    app.getHttpAdapter().getInstance().get('/ip', async (req) => ({ ip: req.ip }));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/ip`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
    return ((await res.json()) as { ip: string }).ip;
  } finally {
    await app?.close();
    if (before === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = before;
  }
}

describe('TRUST_PROXY', () => {
  it('by default believes no X-Forwarded-For: the address is the socket’s', async () => {
    expect(await addressSeen(undefined, '203.0.113.9')).toBe('127.0.0.1');
    expect(await addressSeen('false', '203.0.113.9')).toBe('127.0.0.1');
  });

  it('with one proxy in front, takes the address that proxy saw, not what the client wrote before it', async () => {
    // the client wrote 198.51.100.66; the ingress (here the loopback peer) appended 203.0.113.9
    expect(await addressSeen('1', '198.51.100.66, 203.0.113.9')).toBe('203.0.113.9');
  });

  it('with the proxies’ addresses, skips only hops from those addresses', async () => {
    expect(await addressSeen('127.0.0.1/8', '198.51.100.66, 203.0.113.9')).toBe('203.0.113.9');
    expect(await addressSeen('loopback, 10.0.0.0/8', '198.51.100.66, 10.1.2.3')).toBe('198.51.100.66');
  });

  it('refuses "true" and anything that is not a hop count, address, CIDR or proxy-addr name, naming the variable', () => {
    expect(() => trustProxyOf('gateway', 'true')).toThrow(/gateway: invalid configuration:\n {2}- TRUST_PROXY=true would believe every X-Forwarded-For hop/);
    expect(() => trustProxyOf('gateway', '10.0.0.0/33, ingress')).toThrow(/TRUST_PROXY: not an address, CIDR, hop count or loopback\/linklocal\/uniquelocal: 10.0.0.0\/33, ingress/);
    expect(trustProxyOf('gateway', ' 2 ')).toBe(2);
    expect(trustProxyOf('gateway', 'uniquelocal,2001:db8::/32')).toEqual(['uniquelocal', '2001:db8::/32']);
  });
});
