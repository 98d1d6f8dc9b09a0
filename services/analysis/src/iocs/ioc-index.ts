// The in-memory form of every loaded indicator: exact values in one Map keyed by type and value,
// CIDR networks by family and prefix length (a lookup masks the address once per prefix length
// present, at most 33 or 129), so matching an alert costs a few Map lookups and no database trip.
import { IocType, stricterTlp, Tlp } from './ioc-kinds';
import { canonicalDomain, canonicalIp, canonicalUrl, formatIp, hashTypeOf, normalizeIpIndicator, parseIp } from './ioc-values';
import type { IndexedIndicatorRow } from './iocs.repository';

// One indicator found in an alert.
export interface IocHit {
  indicatorId: string;
  listId: string;
  listName: string;
  source: string;
  tlp: Tlp; // the stricter of the list's TLP and the indicator's own marking
  type: IocType;
  value: string; // the indicator's normalized value (a CIDR for a network)
  field: string; // the ECS field that matched, e.g. "destination.ip"
  confidence: number;
}

interface Entry {
  indicatorId: string;
  listId: string;
  customerId: string | null;
  listName: string;
  source: string;
  tlp: Tlp;
  type: IocType;
  value: string;
  confidence: number;
  validFrom: number | null;
  validUntil: number | null;
}

// Where the parsers put each kind of value (services/ingestion/src/parsers), plus ECS threat.indicator.*.
const HASH_FIELDS = ['md5', 'sha1', 'sha256'].flatMap((a) => [`file.hash.${a}`, `process.hash.${a}`, `process.parent.hash.${a}`, `threat.indicator.file.hash.${a}`]);
const HASH_TYPE_OF_FIELD = new Map(HASH_FIELDS.map((f) => [f, f.slice(f.lastIndexOf('.') + 1).toUpperCase()]));
const IP_FIELDS = ['source.ip', 'destination.ip', 'client.ip', 'server.ip', 'source.nat.ip', 'destination.nat.ip', 'threat.indicator.ip', 'related.ip'];
const DOMAIN_FIELDS = ['url.domain', 'destination.domain', 'source.domain', 'client.domain', 'server.domain', 'dns.question.name', 'threat.indicator.url.domain', 'source.address', 'destination.address'];
const EMAIL_FIELDS = ['email.from.address', 'email.sender.address', 'email.reply_to.address', 'threat.indicator.email.address'];
const URL_FIELDS = ['url.full', 'url.original', 'threat.indicator.url.full', 'threat.indicator.url.original'];

type Obj = Record<string, unknown>;

// Dotted paths split once: matching runs for every alert.
const keysOf = new Map<string, string[]>([...HASH_FIELDS, ...IP_FIELDS, ...DOMAIN_FIELDS, ...EMAIL_FIELDS, ...URL_FIELDS, 'related.hash'].map((f) => [f, f.split('.')]));

// The strings at a dotted path of a nested ECS document (a flat "a.b.c" key is read too).
function valuesAt(ecs: Obj, path: string): string[] {
  let node: unknown = ecs;
  for (const key of keysOf.get(path) ?? path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      node = undefined;
      break;
    }
    node = Object.prototype.hasOwnProperty.call(node, key) ? (node as Obj)[key] : undefined;
  }
  if (node === undefined && Object.prototype.hasOwnProperty.call(ecs, path)) node = ecs[path];
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.filter((v): v is string => typeof v === 'string');
  return [];
}

export class IocIndex {
  private readonly exact = new Map<string, Entry[]>();
  // family -> prefix length -> network -> entries; prefixes kept sorted longest first.
  private readonly nets = new Map<4 | 6, Map<number, Map<bigint, Entry[]>>>();
  private readonly prefixes = new Map<4 | 6, number[]>();
  readonly size: number;

  constructor(rows: IndexedIndicatorRow[]) {
    for (const r of rows) {
      const e: Entry = {
        indicatorId: r.id,
        listId: r.list_id,
        customerId: r.customer_id,
        listName: r.list_name,
        source: r.source,
        tlp: stricterTlp(r.list_tlp, r.tlp),
        type: r.type,
        value: r.value,
        confidence: r.confidence,
        validFrom: r.valid_from ? new Date(r.valid_from).getTime() : null,
        validUntil: r.valid_until ? new Date(r.valid_until).getTime() : null,
      };
      const cidr = (r.type === 'IPV4' || r.type === 'IPV6') && r.value.includes('/') ? normalizeIpIndicator(r.type, r.value) : null;
      if (cidr?.ok && cidr.cidr) {
        const { family, prefix, network } = cidr.cidr;
        let byPrefix = this.nets.get(family);
        if (!byPrefix) this.nets.set(family, (byPrefix = new Map()));
        let byNet = byPrefix.get(prefix);
        if (!byNet) byPrefix.set(prefix, (byNet = new Map()));
        const list = byNet.get(network);
        if (list) list.push(e);
        else byNet.set(network, [e]);
      } else {
        const key = `${r.type}|${r.value}`;
        const list = this.exact.get(key);
        if (list) list.push(e);
        else this.exact.set(key, [e]);
      }
    }
    for (const [family, byPrefix] of this.nets) this.prefixes.set(family, [...byPrefix.keys()].sort((a, b) => b - a));
    this.size = rows.length;
  }

  // Hits for one alert of `customerId` at time `at`: global lists and the customer's own only,
  // indicators in force at `at` only, each indicator once (the first field that matched).
  match(customerId: string, ecs: Obj, at: Date): IocHit[] {
    const t = at.getTime();
    const hits = new Map<string, IocHit>();
    const add = (entries: Entry[] | undefined, field: string) => {
      if (!entries) return;
      for (const e of entries) {
        if (e.customerId !== null && e.customerId !== customerId) continue;
        if ((e.validFrom !== null && t < e.validFrom) || (e.validUntil !== null && t >= e.validUntil)) continue;
        if (hits.has(e.indicatorId)) continue;
        hits.set(e.indicatorId, { indicatorId: e.indicatorId, listId: e.listId, listName: e.listName, source: e.source, tlp: e.tlp, type: e.type, value: e.value, field, confidence: e.confidence });
      }
    };
    const domain = (text: string, field: string) => {
      const d = canonicalDomain(text);
      if (!d) return;
      // a listed domain matches its subdomains: look up each parent of at least two labels
      for (let rest = d; rest.includes('.'); rest = rest.slice(rest.indexOf('.') + 1)) add(this.exact.get(`DOMAIN|${rest}`), field);
    };
    const ip = (text: string, field: string) => {
      const parsed = parseIp(text);
      if (!parsed) return;
      const type = parsed.family === 4 ? 'IPV4' : 'IPV6';
      add(this.exact.get(`${type}|${formatIp(parsed.family, parsed.n)}`), field);
      const prefixes = this.prefixes.get(parsed.family);
      if (!prefixes) return;
      const bits = parsed.family === 4 ? 32 : 128;
      const byPrefix = this.nets.get(parsed.family)!;
      for (const p of prefixes) {
        const network = (parsed.n >> BigInt(bits - p)) << BigInt(bits - p);
        add(byPrefix.get(p)!.get(network), field);
      }
    };

    for (const field of HASH_FIELDS) for (const v of valuesAt(ecs, field)) add(this.exact.get(`${HASH_TYPE_OF_FIELD.get(field)!}|${v.trim().toLowerCase()}`), field);
    for (const v of valuesAt(ecs, 'related.hash')) {
      const type = hashTypeOf(v);
      if (type) add(this.exact.get(`${type}|${v.trim().toLowerCase()}`), 'related.hash');
    }
    for (const field of IP_FIELDS) for (const v of valuesAt(ecs, field)) ip(v, field);
    for (const field of DOMAIN_FIELDS) {
      for (const v of valuesAt(ecs, field)) {
        if (canonicalIp(v)) ip(v, field);
        else domain(v, field);
      }
    }
    for (const field of EMAIL_FIELDS) for (const v of valuesAt(ecs, field)) if (v.includes('@')) domain(v.slice(v.lastIndexOf('@') + 1).replace(/>$/, ''), field);
    for (const field of URL_FIELDS) {
      for (const v of valuesAt(ecs, field)) {
        const u = canonicalUrl(v);
        if (!u) continue;
        add(this.exact.get(`URL|${u}`), field);
        const host = new URL(u).hostname;
        if (canonicalIp(host)) ip(host, field);
        else domain(host, field);
      }
    }
    return [...hits.values()];
  }
}
