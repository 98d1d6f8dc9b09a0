import { isIP } from 'node:net';
import { ConfigError } from '@kanshi/config';

// Which X-Forwarded-For hops a service believes (Fastify's trustProxy), from TRUST_PROXY:
// - unset or "false": none; the address is the socket's (no proxy in front, as in development);
// - a number N: the N proxies nearest the service (1 behind the Kubernetes ingress), so the address
//   is the one the outermost of them saw; what a client writes into the header itself is ignored;
// - a comma-separated list of the proxies' addresses or CIDRs (or proxy-addr's names loopback,
//   linklocal, uniquelocal): hops from those addresses are skipped.
// "true" (every hop) is refused: any client can write the header, so the audit trail's client
// address would be whatever the caller claimed.
const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export function trustProxyOf(service: string, value: string | undefined): boolean | number | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'true') {
    throw new ConfigError(service, ['TRUST_PROXY=true would believe every X-Forwarded-For hop, which any client can write; set the number of proxies in front (1 behind the ingress) or their addresses']);
  }
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !NAMES.has(e) && !isAddressOrCidr(e));
  if (bad.length) throw new ConfigError(service, [`TRUST_PROXY: not an address, CIDR, hop count or loopback/linklocal/uniquelocal: ${bad.join(', ')}`]);
  return entries;
}

function isAddressOrCidr(e: string): boolean {
  const [address, bits, ...rest] = e.split('/');
  if (rest.length || !isIP(address)) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d+$/.test(bits) && Number(bits) <= max;
}
