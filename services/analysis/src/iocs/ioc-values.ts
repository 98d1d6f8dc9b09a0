// Canonical forms of indicator values, shared by import (what is stored) and matching (what an
// alert's ECS field is turned into before the lookup), so both sides compare equal strings.
import { domainToASCII } from 'node:url';
import { IocType } from './ioc-kinds';

export type Normalized = { ok: true; type: IocType; value: string; cidr?: Cidr } | { ok: false; reason: string };

// An IP network: the family, the network address as a number, and the prefix length.
export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

const HASH_LENGTHS: Partial<Record<IocType, number>> = { MD5: 32, SHA1: 40, SHA256: 64 };
const HEX = /^[0-9a-f]+$/;

export function normalizeHash(type: 'MD5' | 'SHA1' | 'SHA256', text: string): Normalized {
  const h = text.trim().toLowerCase();
  const want = HASH_LENGTHS[type]!;
  if (!HEX.test(h)) return { ok: false, reason: `${type} hash must be hexadecimal` };
  if (h.length !== want) return { ok: false, reason: `${type} hash must have ${want} hex digits, not ${h.length}` };
  return { ok: true, type, value: h };
}

// The algorithm a bare hash belongs to, by its length; null when it is none of the three.
export function hashTypeOf(text: string): 'MD5' | 'SHA1' | 'SHA256' | null {
  const h = text.trim().toLowerCase();
  if (!HEX.test(h)) return null;
  return h.length === 32 ? 'MD5' : h.length === 40 ? 'SHA1' : h.length === 64 ? 'SHA256' : null;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(s: string): bigint | null {
  const m = V4.exec(s);
  if (!m) return null;
  let n = 0n;
  for (let i = 1; i <= 4; i++) {
    const part = m[i];
    // "010" is octal to some tools and decimal to others: refused rather than guessed.
    if (part.length > 1 && part.startsWith('0')) return null;
    const v = Number(part);
    if (v > 255) return null;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i];
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}

const MAPPED_V4 = 0xffff00000000n;

// An address as family and number; IPv4-mapped IPv6 (::ffff:192.0.2.1) reads as the IPv4 address.
export function parseIp(text: string): { family: 4 | 6; n: bigint } | null {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const v4 = parseV4(s);
  if (v4 !== null) return { family: 4, n: v4 };
  const v6 = parseV6(s);
  if (v6 === null) return null;
  if (v6 >> 32n === MAPPED_V4 >> 32n) return { family: 4, n: v6 & 0xffffffffn };
  return { family: 6, n: v6 };
}

export function formatIp(family: 4 | 6, n: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => Number((n >> s) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups (the first on a tie) becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

// The canonical text of an address, or null when it is not one.
export function canonicalIp(text: string): string | null {
  const ip = parseIp(text);
  return ip ? formatIp(ip.family, ip.n) : null;
}

// An IPv4 / IPv6 indicator: an address, or a network in CIDR notation (host bits must be zero,
// /32 and /128 read as the address).
export function normalizeIpIndicator(type: 'IPV4' | 'IPV6', text: string): Normalized {
  const [addr, prefixText, extra] = text.trim().split('/');
  const want = type === 'IPV4' ? 4 : 6;
  const ip = extra === undefined ? parseIp(addr) : null;
  if (!ip) return { ok: false, reason: `${text.trim()} is not an ${type === 'IPV4' ? 'IPv4' : 'IPv6'} address` };
  if (ip.family !== want) return { ok: false, reason: `${text.trim()} is an IPv${ip.family} address, not IPv${want}` };
  const bits = want === 4 ? 32 : 128;
  if (prefixText === undefined) return { ok: true, type, value: formatIp(ip.family, ip.n) };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return { ok: false, reason: `${text.trim()}: the prefix length must be 0-${bits}` };
  const prefix = Number(prefixText);
  if (prefix === bits) return { ok: true, type, value: formatIp(ip.family, ip.n) };
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((ip.n & hostMask) !== 0n) return { ok: false, reason: `${text.trim()} has host bits set (the network is ${formatIp(ip.family, ip.n & ~hostMask)}/${prefix})` };
  return { ok: true, type, value: `${formatIp(ip.family, ip.n)}/${prefix}`, cidr: { family: want, network: ip.n, prefix } };
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

// A domain name: lower-case ASCII (IDNs as punycode), no trailing dot, at least two labels.
export function canonicalDomain(text: string): string | null {
  let d = text.trim().toLowerCase();
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (!d || parseIp(d)) return null;
  const ascii = /^[\x21-\x7e]*$/.test(d) ? d : domainToASCII(d);
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  return ascii;
}

export function normalizeDomain(text: string): Normalized {
  const d = canonicalDomain(text);
  return d ? { ok: true, type: 'DOMAIN', value: d } : { ok: false, reason: `${text.trim()} is not a domain name` };
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

// A URL: scheme added when missing (http), scheme and host lower-case, default port and fragment
// dropped; path and query kept as written (percent-encoded where the WHATWG parser encodes).
export function canonicalUrl(text: string): string | null {
  const t = text.trim();
  if (!t || t.startsWith('/') || /\s/.test(t)) return null;
  let u: URL;
  try {
    u = new URL(SCHEME.test(t) ? t : `http://${t}`);
  } catch {
    return null;
  }
  if (!u.hostname) return null;
  u.hash = '';
  return u.href;
}

export function normalizeUrl(text: string): Normalized {
  const u = canonicalUrl(text);
  return u ? { ok: true, type: 'URL', value: u } : { ok: false, reason: `${text.trim()} is not a URL` };
}

// Any indicator value of a given type.
export function normalizeIndicator(type: IocType, text: string): Normalized {
  switch (type) {
    case 'MD5':
    case 'SHA1':
    case 'SHA256':
      return normalizeHash(type, text);
    case 'IPV4':
    case 'IPV6':
      return normalizeIpIndicator(type, text);
    case 'DOMAIN':
      return normalizeDomain(text);
    case 'URL':
      return normalizeUrl(text);
  }
}
