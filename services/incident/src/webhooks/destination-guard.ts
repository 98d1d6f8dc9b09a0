// No SSRF into the SOC's network: a webhook destination must be a public address. Checked when a
// subscription is made and again at every delivery, on the address the connection actually uses
// (the resolver answer is checked inside the connect, so a name re-pointed at a private address
// after the check - DNS rebinding - is refused too).
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export interface DestinationPolicy {
  production: boolean;
  // Outside production only: loopback destinations (and plain http) for local receivers.
  allowLoopback: boolean;
}

const v4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  v4.addSubnet(net, prefix, 'ipv4');
const loop4 = new BlockList();
loop4.addSubnet('127.0.0.0', 8, 'ipv4');

const v6 = new BlockList();
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, ...)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (ULA)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  v6.addSubnet(net, prefix, 'ipv6');

// The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16).
function embeddedV4(ip: string): string | null {
  const words = expand6(ip);
  if (!words) return null;
  const at = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return at(words[6], words[7]);
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return at(words[6], words[7]);
  if (words[0] === 0x2002) return at(words[1], words[2]);
  return null;
}

function expand6(ip: string): number[] | null {
  let s = ip.toLowerCase().split('%')[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const p = dotted[1].split('.').map(Number);
    s = s.slice(0, -dotted[1].length) + `${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  const all = [...h, ...Array(fill).fill('0'), ...t];
  if (all.length !== 8) return null;
  return all.map((w) => parseInt(w, 16));
}

export function isLoopback(ip: string): boolean {
  if (isIP(ip) === 4) return loop4.check(ip, 'ipv4');
  if (isIP(ip) === 6) {
    const inner = embeddedV4(ip);
    if (inner) return loop4.check(inner, 'ipv4');
    return expand6(ip)?.every((w, i) => w === (i === 7 ? 1 : 0)) ?? false;
  }
  return false;
}

// A routable public unicast address.
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !v4.check(ip, 'ipv4') && !loop4.check(ip, 'ipv4');
  if (family === 6) {
    const inner = embeddedV4(ip);
    if (inner) return isPublicAddress(inner);
    return !isLoopback(ip) && !v6.check(ip, 'ipv6');
  }
  return false;
}

export function addressAllowed(ip: string, policy: DestinationPolicy): boolean {
  return isPublicAddress(ip) || (!policy.production && policy.allowLoopback && isLoopback(ip));
}

// Why a destination URL is refused (scheme, credentials, an address literal), or null. Names are
// checked when resolved (resolveDestination, guardedLookup).
export function urlProblem(raw: string, policy: DestinationPolicy): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  const local = !policy.production && policy.allowLoopback;
  if (u.protocol !== 'https:' && !(local && u.protocol === 'http:')) return `must use https (got ${u.protocol.replace(':', '')})`;
  if (u.username || u.password) return 'must not carry credentials';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !addressAllowed(host, policy)) return `points at ${host}, which is not a public address`;
  if (!isIP(host) && (host === 'localhost' || host.endsWith('.localhost')) && !local) return `points at ${host}, which is not a public address`;
  return null;
}

function lookupAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
}

// Every address the name resolves to must be allowed; the problem, or null.
export async function resolveProblem(raw: string, policy: DestinationPolicy): Promise<string | null> {
  const problem = urlProblem(raw, policy);
  if (problem) return problem;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return null;
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(host);
  } catch (err) {
    return `cannot be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  const bad = addresses.find((a) => !addressAllowed(a.address, policy));
  return bad ? `resolves to ${bad.address}, which is not a public address` : null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

// A `lookup` for net/tls.connect (undici's connect options) that refuses disallowed answers.
export function guardedLookup(policy: DestinationPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    lookupAll(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => !addressAllowed(a.address, policy));
        if (bad || !addresses.length) {
          const err: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${bad?.address ?? 'nothing'}, which is not a public address`);
          err.code = 'EDESTINATIONREFUSED';
          return callback(err, '');
        }
        if (options?.all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
