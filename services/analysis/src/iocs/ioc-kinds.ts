// The lists the IOC module owns: indicator types, TLP 2.0 levels and import formats.
export const IOC_TYPES = ['MD5', 'SHA1', 'SHA256', 'IPV4', 'IPV6', 'DOMAIN', 'URL'] as const;
export type IocType = (typeof IOC_TYPES)[number];

export const IOC_TYPE_MEANINGS: Record<IocType, string> = {
  MD5: 'An MD5 file hash (32 hex digits, lower-case)',
  SHA1: 'A SHA-1 file hash (40 hex digits, lower-case)',
  SHA256: 'A SHA-256 file hash (64 hex digits, lower-case)',
  IPV4: 'An IPv4 address, or a network in CIDR notation (203.0.113.0/24)',
  IPV6: 'An IPv6 address in RFC 5952 form, or a network in CIDR notation (2001:db8::/32)',
  DOMAIN: 'A domain name (lower-case, ASCII/punycode); also matches its subdomains',
  URL: 'A URL (lower-case scheme and host, no default port, no fragment)',
};

// TLP 2.0 (FIRST). TLP 1.0's WHITE is accepted on import as CLEAR.
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const TLP_MEANINGS: Record<Tlp, string> = {
  CLEAR: 'TLP:CLEAR (TLP 1.0 WHITE): no limit on disclosure',
  GREEN: 'TLP:GREEN: the community, not public channels',
  AMBER: "TLP:AMBER: the recipient's organisation and its clients, need to know",
  AMBER_STRICT: "TLP:AMBER+STRICT: the recipient's organisation only",
  RED: 'TLP:RED: the named recipients only',
};

// The stricter of two TLP levels (a list's default and an indicator's own marking).
export function stricterTlp(a: Tlp, b: Tlp | null | undefined): Tlp {
  if (!b) return a;
  return TLP_LEVELS.indexOf(a) >= TLP_LEVELS.indexOf(b) ? a : b;
}

// A TLP name as STIX markings and people write it: "TLP:AMBER+STRICT", "amber+strict", "white".
export function tlpOf(text: string): Tlp | null {
  const t = text
    .trim()
    .toUpperCase()
    .replace(/^TLP:\s*/, '')
    .replace(/[+\s-]+/g, '_');
  if (t === 'WHITE') return 'CLEAR';
  return (TLP_LEVELS as readonly string[]).includes(t) ? (t as Tlp) : null;
}

export const IOC_FORMATS = ['STIX', 'CSV'] as const;
export type IocFormat = (typeof IOC_FORMATS)[number];
