// Import parsing: STIX patterns (OR, CIDR, refused constructs), bundles, CSV rows, normalization.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIocCsv } from './ioc-csv';
import { IocError } from './iocs.errors';
import { canonicalUrl, normalizeIndicator } from './ioc-values';
import { parseStixBundle } from './stix-bundle';
import { parseStixPattern } from './stix-pattern';

const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
const NOW = new Date('2026-12-01T00:00:00Z');

describe('parseStixPattern', () => {
  it('reads OR within and across observation expressions, quoted hash keys and escaped quotes', () => {
    const c = parseStixPattern("[file:hashes.'SHA-256' = 'aa' OR file:hashes.MD5 = 'b\\'c'] OR ([url:value = 'http://x.example/'])");
    expect(c.map((x) => [x.objectType, x.property, x.operator, x.values])).toEqual([
      ['file', ['hashes', 'SHA-256'], '=', ['aa']],
      ['file', ['hashes', 'MD5'], '=', ["b'c"]],
      ['url', ['value'], '=', ['http://x.example/']],
    ]);
  });

  it('reads IN lists and ISSUBSET', () => {
    expect(parseStixPattern("[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')]")[0].values).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(parseStixPattern("[network-traffic:dst_port = 4444]")[0]).toMatchObject({ values: [], otherConstants: ['4444'] });
    expect(parseStixPattern("[ipv4-addr:value ISSUBSET '203.0.113.0/24']")[0].operator).toBe('ISSUBSET');
  });

  it.each([
    ["[file:hashes.MD5 = 'a' AND file:name = 'x']", 'AND is not supported'],
    ["[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [ipv4-addr:value = '1.2.3.5']", 'FOLLOWEDBY is not supported'],
    ["[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS", 'the qualifier WITHIN is not supported'],
    ["[file:name LIKE '%.exe']", 'operator LIKE is not supported'],
    ["[ipv4-addr:value NOT = '1.2.3.4']", 'operator NOT = is not supported'],
    ["[ipv4-addr:value = '1.2.3.4'", 'expected "]" at the end of the pattern'],
    ['', 'the pattern is empty'],
  ])('refuses %s', (pattern, message) => {
    expect(() => parseStixPattern(pattern)).toThrow(message);
  });
});

describe('normalizeIndicator', () => {
  it.each([
    ['SHA256', ' E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 ', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['IPV6', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['IPV6', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['IPV6', '2001:db8::/32', '2001:db8::/32'],
    ['IPV4', '203.0.113.0/24', '203.0.113.0/24'],
    ['IPV4', '192.0.2.1/32', '192.0.2.1'],
    ['IPV4', '::ffff:192.0.2.1', '192.0.2.1'],
    ['DOMAIN', 'Evil.Example.', 'evil.example'],
    ['DOMAIN', 'bücher.example', 'xn--bcher-kva.example'],
    ['URL', 'HTTP://Evil.Example:80/A?b=1#frag', 'http://evil.example/A?b=1'],
    ['URL', 'evil.example/x', 'http://evil.example/x'],
  ] as const)('%s %s -> %s', (type, text, value) => {
    expect(normalizeIndicator(type, text)).toMatchObject({ ok: true, value });
  });

  it.each([
    ['MD5', 'abc123', 'MD5 hash must have 32 hex digits, not 6'],
    ['SHA1', 'zz39a3ee5e6b4b0d3255bfef95601890afd80709', 'SHA1 hash must be hexadecimal'],
    ['IPV4', '192.0.2.300', '192.0.2.300 is not an IPv4 address'],
    ['IPV4', '010.0.0.1', '010.0.0.1 is not an IPv4 address'],
    ['IPV4', '2001:db8::1', '2001:db8::1 is an IPv6 address, not IPv4'],
    ['IPV4', '203.0.113.5/24', '203.0.113.5/24 has host bits set (the network is 203.0.113.0/24)'],
    ['IPV4', '203.0.113.0/33', 'the prefix length must be 0-32'],
    ['DOMAIN', 'localhost', 'localhost is not a domain name'],
    ['URL', '/just/a/path', '/just/a/path is not a URL'],
  ] as const)('refuses %s %s', (type, text, reason) => {
    expect(normalizeIndicator(type, text)).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('leaves a URL path and query as written', () => {
    expect(canonicalUrl('https://a.example/Path/%41?Q=1')).toBe('https://a.example/Path/%41?Q=1');
  });
});

describe('parseStixBundle', () => {
  it('imports the values of each indicator and reports the others by object with the reason', () => {
    const { indicators, skipped } = parseStixBundle(fixture('sample-bundle.json'), NOW);
    expect(indicators.map((i) => [i.row, i.type, i.value, i.tlp])).toEqual([
      [2, 'SHA256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'GREEN'],
      [3, 'IPV4', '198.51.100.7', 'AMBER_STRICT'],
      [3, 'IPV4', '203.0.113.0/24', 'AMBER_STRICT'],
      [3, 'IPV6', '2001:db8::1', 'AMBER_STRICT'],
      [4, 'DOMAIN', 'evil.example', null],
      [4, 'URL', 'http://download.evil.example/payload.exe', null],
      [4, 'MD5', '44d88612fea8a8f36de82e1278abb02f', null],
      [9, 'DOMAIN', 'old-campaign.example', null],
    ]);
    expect(indicators[0]).toMatchObject({ confidence: 85, labels: ['malicious-activity'], description: 'Emotet loader: Dropper seen in macro documents', stixId: 'indicator--a1000000-0000-4000-8000-000000000001' });
    expect(indicators[4].validUntil).toEqual(new Date('2027-11-01T00:00:00Z'));
    expect(skipped).toEqual([
      { row: 5, objectId: 'indicator--a1000000-0000-4000-8000-000000000004', reason: 'pattern: MD5 hash must have 32 hex digits, not 6' },
      { row: 6, objectId: 'indicator--a1000000-0000-4000-8000-000000000005', reason: 'pattern: AND is not supported: only comparisons joined by OR can be matched against a single alert' },
      { row: 7, objectId: 'indicator--a1000000-0000-4000-8000-000000000006', reason: 'pattern_type "sigma" is not supported (only stix)' },
      { row: 8, objectId: 'indicator--a1000000-0000-4000-8000-000000000007', reason: 'pattern: 192.0.2.300 is not an IPv4 address' },
    ]);
  });

  it('names the comparison of an OR that cannot be imported, and imports the rest', () => {
    const bundle = { type: 'bundle', objects: [{ type: 'indicator', id: 'indicator--x', pattern_type: 'stix', pattern: "[file:name = 'a.exe' OR file:hashes.'SHA-1' = 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709']" }] };
    const { indicators, skipped } = parseStixBundle(JSON.stringify(bundle), NOW);
    expect(indicators.map((i) => [i.type, i.value])).toEqual([['SHA1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709']]);
    expect(skipped[0].reason).toMatch(/^pattern comparison 1 \(file:name\): file:name is not an indicator Kanshi matches/);
  });

  it('stores a revoked indicator as expired when it was modified', () => {
    const bundle = { type: 'bundle', objects: [{ type: 'indicator', id: 'indicator--r', revoked: true, modified: '2026-11-20T00:00:00Z', pattern: "[domain-name:value = 'gone.example']" }] };
    expect(parseStixBundle(JSON.stringify(bundle), NOW).indicators[0].validUntil).toEqual(new Date('2026-11-20T00:00:00Z'));
  });

  it.each([
    ['not JSON', '{"type": "bundle"', /^content: not JSON/],
    ['not a bundle', '{"type": "indicator"}', /^content: not a STIX 2.1 bundle/],
  ])('refuses content that is %s on content', (_, content, message) => {
    const err = (() => {
      try {
        parseStixBundle(content, NOW);
      } catch (e) {
        return e;
      }
    })();
    expect(IocError.is(err, 'INVALID_CONTENT')).toBe(true);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', field: 'content', message: expect.stringMatching(message) });
  });
});

describe('parseIocCsv', () => {
  it('imports good rows and reports bad ones by line', () => {
    const { indicators, skipped } = parseIocCsv(fixture('sample-list.csv'));
    expect(indicators.map((i) => [i.row, i.type, i.value, i.confidence])).toEqual([
      [2, 'SHA1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 90],
      [3, 'IPV4', '192.0.2.10', 70],
      [4, 'IPV6', '2001:db8::ff00:42:8329', null],
      [5, 'DOMAIN', 'phish.example', 60],
      [6, 'URL', 'http://phish.example/login?next=%2F', 60],
      [10, 'DOMAIN', 'expired.example', 50],
    ]);
    expect(indicators[0].description).toBe('Known bad tool, seen at two customers');
    expect(indicators[1].validUntil).toEqual(new Date('2030-01-01T00:00:00Z'));
    expect(skipped).toEqual([
      { row: 7, objectId: null, reason: 'MD5 hash must be hexadecimal' },
      { row: 8, objectId: null, reason: '10.0.0.999 is not an IPv4 address' },
      { row: 9, objectId: null, reason: 'unknown type "fqdn" (expected one of md5, sha1, sha256, ipv4, ipv6, domain, url, ip, hash)' },
    ]);
  });

  it('reports a bad confidence or expiry, and takes columns in any order', () => {
    const { indicators, skipped } = parseIocCsv('value,type,confidence,expires\nevil.example,domain,101,\nevil2.example,domain,,next week\n"a,b.example",domain,,\n');
    expect(indicators).toEqual([]);
    expect(skipped.map((s) => [s.row, s.reason])).toEqual([
      [2, 'confidence must be an integer 0-100, not "101"'],
      [3, 'expires must be an ISO 8601 date or timestamp, not "next week"'],
      [4, 'a,b.example is not a domain name'],
    ]);
  });

  it('refuses a list without a usable header on content', () => {
    expect(() => parseIocCsv('sha1,da39a3ee5e6b4b0d3255bfef95601890afd80709\n')).toThrow(/^content: the CSV header must name the columns type and value/);
    expect(() => parseIocCsv('')).toThrow(/^content: the CSV list is empty/);
  });
});
