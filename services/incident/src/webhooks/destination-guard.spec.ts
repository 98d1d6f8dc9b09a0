import { addressAllowed, guardedLookup, isPublicAddress, urlProblem } from './destination-guard';

const PROD = { production: true, allowLoopback: true };
const DEV = { production: false, allowLoopback: true };
const DEV_STRICT = { production: false, allowLoopback: false };

describe('webhook destinations (no SSRF into the SOC’s network)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fc00::1', 'IPv6 ULA'],
    ['fd12:3456:789a::1', 'IPv6 ULA'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata (hex)'],
    ['64:ff9b::a00:1', 'NAT64 of a private address'],
    ['2002:c0a8:0101::1', '6to4 of a private address'],
    ['2001:db8::1', 'IPv6 documentation'],
  ])('refuses %s (%s) in production', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
    expect(addressAllowed(ip, PROD)).toBe(false);
    expect(urlProblem(`https://${ip.includes(':') ? `[${ip}]` : ip}/hook`, PROD)).toMatch(/not a public address/);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts the public address %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
    expect(addressAllowed(ip, PROD)).toBe(true);
  });

  it('allows loopback outside production only when configured, and never private addresses', () => {
    expect(addressAllowed('127.0.0.1', DEV)).toBe(true);
    expect(addressAllowed('::1', DEV)).toBe(true);
    expect(addressAllowed('127.0.0.1', DEV_STRICT)).toBe(false);
    expect(addressAllowed('10.0.0.1', DEV)).toBe(false);
    expect(urlProblem('http://127.0.0.1:8080/hook', DEV)).toBeNull();
    expect(urlProblem('http://localhost:8080/hook', DEV_STRICT)).toMatch(/https/);
  });

  it('wants https in production, no credentials in the URL, and a URL at all', () => {
    expect(urlProblem('http://hooks.example.com/x', PROD)).toBe('must use https (got http)');
    expect(urlProblem('ftp://hooks.example.com/x', DEV)).toBe('must use https (got ftp)');
    expect(urlProblem('https://user:pw@hooks.example.com/x', PROD)).toBe('must not carry credentials');
    expect(urlProblem('https://localhost/x', PROD)).toMatch(/not a public address/);
    expect(urlProblem('not a url', PROD)).toBe('is not a URL');
    expect(urlProblem('https://hooks.example.com/x', PROD)).toBeNull();
  });

  it('refuses at connect time a name that resolves to a private address (DNS rebinding)', async () => {
    // localhost resolves to loopback: what a re-pointed name looks like to the connection
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup(PROD)('localhost', { all: true }, (e) => resolve(e)));
    expect(err).toMatchObject({ code: 'EDESTINATIONREFUSED', message: expect.stringMatching(/localhost resolves to (127\.0\.0\.1|::1), which is not a public address/) });
    const ok = await new Promise<unknown>((resolve) => guardedLookup(DEV)('localhost', { all: true }, (e, addresses) => resolve(e ?? addresses)));
    expect(Array.isArray(ok)).toBe(true);
  });
});
