// A small builder for nested ECS documents plus value helpers shared by the vendor parsers.
// Absent values (undefined, null, empty or blank strings, NaN, empty arrays) are never written,
// so a finished document has no nulls or empty strings.
import { isIP } from 'node:net';

type Obj = Record<string, unknown>;

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

// Vendor data supplies some keys (CEF extensions, key=value pairs): define own properties so a
// key such as "__proto__" stays an ordinary field instead of touching the prototype.
// Only "__proto__" needs defineProperty; it is slow (the object leaves V8's fast mode), so the
// common case is a plain assignment.
export function putOwn(target: Obj, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function getOwn(target: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
}

/** Normalizes a value for ECS; undefined means "leave the field out". */
export function clean(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const c = clean(v);
      if (c !== undefined && !out.includes(c)) out.push(c);
    }
    return out.length ? out : undefined;
  }
  if (isPlainObject(value)) {
    const out: Obj = {};
    let any = false;
    for (const k of Object.keys(value)) {
      const c = clean(value[k]);
      if (c !== undefined) {
        putOwn(out, k, c);
        any = true;
      }
    }
    return any ? out : undefined;
  }
  return undefined;
}

// Dotted paths are a few hundred literals in the parsers; splitting each on every call showed up
// in profiles. null marks a path with an empty segment (never written).
const splitPaths = new Map<string, string[] | null>();

function keysOf(path: string): string[] | null {
  let keys = splitPaths.get(path);
  if (keys === undefined) {
    const split = path.split('.');
    keys = split.some((k) => k === '') ? null : split;
    if (splitPaths.size >= 10_000) splitPaths.clear();
    splitPaths.set(path, keys);
  }
  return keys;
}

// A path built from a prefix (`${prefix}.ip`) is a new string on every call, which the path
// cache above must then hash and compare in full; joining through this cache hands out one
// string per (prefix, leaf). Prefixes and leaves are the parsers' own literals; bounded anyway.
const joinedPaths = new Map<string, Map<string, string>>();

export function dotted(prefix: string, leaf: string): string {
  let byLeaf = joinedPaths.get(prefix);
  if (byLeaf === undefined) {
    if (joinedPaths.size >= 1000) joinedPaths.clear();
    byLeaf = new Map();
    joinedPaths.set(prefix, byLeaf);
  }
  let path = byLeaf.get(leaf);
  if (path === undefined) {
    path = `${prefix}.${leaf}`;
    if (byLeaf.size < 1000) byLeaf.set(leaf, path);
  }
  return path;
}

// Values in the document were cleaned when they were set, so a copy needs no second cleaning.
function copyDocument(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyDocument);
  if (isPlainObject(value)) {
    const out: Obj = {};
    for (const k of Object.keys(value)) putOwn(out, k, copyDocument(value[k]));
    return out;
  }
  return value;
}

export class Ecs {
  private readonly root: Obj = {};
  // paths of the vendor field sets (adopt, setAllIn), made fast objects by finished()
  private readonly fieldSets: string[][] = [];

  /** Sets a dotted path (e.g. 'source.ip'); absent values are skipped. */
  set(path: string, value: unknown): this {
    // Most calls pass an absent value (optional vendor fields): clean first, skip the path lookup.
    const v = clean(value);
    if (v === undefined) return this;
    const keys = keysOf(path);
    if (keys) putOwn(this.nodeAt(keys, keys.length - 1), keys[keys.length - 1], v);
    return this;
  }

  /** Sets `path` + one literal key (which may contain dots), e.g. vendor field names. */
  setIn(path: string, key: string, value: unknown): this {
    const keys = keysOf(path);
    if (!keys || key === '') return this;
    const v = clean(value);
    if (v === undefined) return this;
    putOwn(this.nodeAt(keys), key, v);
    return this;
  }

  /** setIn for many literal keys under one path (vendor field sets), walking the path once. */
  setAllIn(path: string, entries: Iterable<readonly [string, unknown]>): this {
    const keys = keysOf(path);
    if (!keys) return this;
    let node: Obj | null = null;
    const put = (value: unknown, key: string): void => {
      if (key === '') return;
      const v = clean(value);
      if (v === undefined) return;
      if (!node) {
        node = this.nodeAt(keys);
        this.fieldSets.push(keys);
      }
      putOwn(node, key, v);
    };
    // Map.forEach spares the [key, value] array the iterator makes per entry.
    if (entries instanceof Map) entries.forEach(put);
    else for (const [key, value] of entries) put(value, key);
    return this;
  }

  /**
   * Places `node` at `path` as it is, without the cleaning copy `set` makes: for a large vendor
   * field set the parser has just built from clean values (trimmed non-empty strings) under keys
   * it wrote with own properties. The node belongs to the document from then on; unlike `set`,
   * an empty node is placed too (callers add their own fields to it).
   */
  adopt(path: string, node: Obj): this {
    const keys = keysOf(path);
    if (!keys) return this;
    putOwn(this.nodeAt(keys, keys.length - 1), keys[keys.length - 1], node);
    this.fieldSets.push(keys);
    return this;
  }

  /** Sets only when the path holds nothing yet. */
  setDefault(path: string, value: unknown): this {
    // get + set in one walk: the path is looked up once, and not at all for an absent value.
    const v = clean(value);
    if (v === undefined) return this;
    const keys = keysOf(path);
    if (!keys) return this;
    const last = keys.length - 1;
    const node = this.nodeAt(keys, last);
    if (getOwn(node, keys[last]) === undefined) putOwn(node, keys[last], v);
    return this;
  }

  /** Appends to an array field, skipping duplicates and absent values. */
  push(path: string, ...values: unknown[]): this {
    const current = this.get(path);
    const list = Array.isArray(current) ? [...current] : [];
    for (const v of values) {
      const c = clean(v);
      if (c !== undefined && !list.includes(c)) list.push(c);
    }
    if (list.length) this.set(path, list);
    return this;
  }

  get(path: string): unknown {
    const keys = keysOf(path);
    if (!keys) return undefined;
    let node: unknown = this.root;
    for (let i = 0; i < keys.length; i++) {
      if (!isPlainObject(node)) return undefined;
      node = getOwn(node, keys[i]);
    }
    return node;
  }

  /** An address: `<prefix>.ip` when it is an IP, `<prefix>.address` always. */
  setAddress(prefix: string, value: unknown): this {
    const text = str(value);
    if (text === undefined) return this;
    const ip = normalizeIp(text);
    this.setDefault(dotted(prefix, 'address'), ip ?? text);
    if (ip) this.setDefault(dotted(prefix, 'ip'), ip);
    return this;
  }

  setPort(path: string, value: unknown): this {
    const p = port(value);
    if (p !== undefined) this.set(path, p);
    return this;
  }

  setMac(path: string, value: unknown): this {
    const m = normalizeMac(value);
    if (m) this.set(path, m);
    return this;
  }

  /** file.hash.md5 / sha1 / sha256 / sha512 chosen by the hash's length. */
  setHash(prefix: string, value: unknown): this {
    const h = str(value);
    if (h === undefined) return this;
    const algo = hashAlgorithm(h);
    if (algo) this.setDefault(dotted(prefix, algo), h.toLowerCase());
    return this;
  }

  /** The document itself, for the last step of a parser (no copy: the builder is done with). */
  finished(): Obj {
    // A vendor field set (tens to a hundred keys, added by keyed stores) leaves V8's fast
    // property mode for a dictionary, which JSON.stringify serializes slowly. Each is copied
    // once, now that it is complete, into an object with fast properties; key order and content
    // stay. Measured (parse bench): stringify of a Palo Alto TRAFFIC document 15.4 -> 12.4 us,
    // FortiGate traffic 9.0 -> 7.0 us, for 1-2 us of copying.
    for (const keys of this.fieldSets) {
      let parent: unknown = this.root;
      for (let i = 0; i < keys.length - 1 && isPlainObject(parent); i++) parent = getOwn(parent, keys[i]);
      const last = keys[keys.length - 1];
      const node = isPlainObject(parent) ? getOwn(parent, last) : undefined;
      if (isPlainObject(parent) && isPlainObject(node)) putOwn(parent, last, { ...node });
    }
    this.fieldSets.length = 0;
    return this.root;
  }

  /** A deep copy of the document. */
  toJSON(): Obj {
    return copyDocument(this.root) as Obj;
  }

  // The object at the first `depth` keys, created on the way (a non-object in the way is replaced).
  private nodeAt(keys: string[], depth = keys.length): Obj {
    let node = this.root;
    for (let i = 0; i < depth; i++) {
      let next = getOwn(node, keys[i]);
      if (!isPlainObject(next)) {
        next = {};
        putOwn(node, keys[i], next);
      }
      node = next as Obj;
    }
    return node;
  }
}

/** A trimmed non-empty string from a string or a finite number; otherwise undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

/** A finite number from a number or a numeric string. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function int(value: unknown): number | undefined {
  const n = num(value);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

export function port(value: unknown): number | undefined {
  const n = int(value);
  return n !== undefined && n >= 0 && n <= 65535 ? n : undefined;
}

/** A valid IPv4/IPv6 address (brackets and IPv6 zone ids removed), else undefined. */
export function normalizeIp(value: unknown): string | undefined {
  let s = str(value);
  if (s === undefined) return undefined;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone > 0 && s.includes(':')) s = s.slice(0, zone);
  return isIP(s) ? s : undefined;
}

/** RFC 1918, loopback, link-local, CGNAT and IPv6 ULA/link-local addresses. */
export function isPrivateIp(ip: string | undefined): boolean {
  if (!ip) return false;
  const family = isIP(ip);
  if (family === 4) {
    // Only the first two octets matter; read them without splitting the address.
    const dot1 = ip.indexOf('.');
    const a = Number(ip.slice(0, dot1));
    const b = Number(ip.slice(dot1 + 1, ip.indexOf('.', dot1 + 1)));
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (family === 6) {
    const l = ip.toLowerCase();
    return l === '::1' || l.startsWith('fc') || l.startsWith('fd') || l.startsWith('fe80');
  }
  return false;
}

/** ECS style MAC: upper case, hyphen separated. */
export function normalizeMac(value: unknown): string | undefined {
  const s = str(value);
  if (s === undefined) return undefined;
  const hex = s.replace(/[:\-.]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return undefined;
  return hex.toUpperCase().match(/../g)!.join('-');
}

export function hashAlgorithm(value: string): 'md5' | 'sha1' | 'sha256' | 'sha512' | undefined {
  if (!/^[0-9a-fA-F]+$/.test(value)) return undefined;
  switch (value.length) {
    case 32:
      return 'md5';
    case 40:
      return 'sha1';
    case 64:
      return 'sha256';
    case 128:
      return 'sha512';
    default:
      return undefined;
  }
}

/** Last component of a Windows or POSIX path. */
export function basename(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const trimmed = path.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('\\'), trimmed.lastIndexOf('/'));
  const base = i >= 0 ? trimmed.slice(i + 1) : trimmed;
  return base === '' ? undefined : base;
}

/** Joins a directory and a file name with the directory's own separator. */
export function joinPath(dir: string | undefined, name: string | undefined): string | undefined {
  if (!dir) return name;
  if (!name) return dir;
  const sep = dir.includes('\\') || !dir.includes('/') ? '\\' : '/';
  return /[\\/]$/.test(dir) ? dir + name : dir + sep + name;
}

/** Splits "DOMAIN\user" into its parts; other forms are returned as the name. */
export function splitUser(value: unknown): { name?: string; domain?: string } {
  const s = str(value);
  if (s === undefined) return {};
  const i = s.indexOf('\\');
  if (i > 0 && i < s.length - 1) return { domain: s.slice(0, i), name: s.slice(i + 1) };
  return { name: s };
}

export function setUser(ecs: Ecs, prefix: string, value: unknown): void {
  const u = splitUser(value);
  if (u.name) ecs.setDefault(dotted(prefix, 'name'), u.name);
  if (u.domain) ecs.setDefault(dotted(prefix, 'domain'), u.domain);
}

const PROTOCOL_NAMES: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '47': 'gre', '50': 'esp', '58': 'ipv6-icmp', '132': 'sctp' };

/** Transport protocol name from an IANA number or a name. */
export function transport(value: unknown): string | undefined {
  const s = str(value);
  if (s === undefined) return undefined;
  if (/^\d+$/.test(s)) return PROTOCOL_NAMES[s];
  return s.toLowerCase();
}

export interface Endpoint {
  ip?: string;
  name?: string;
  mac?: string;
}

/**
 * The endpoint a network alert is about (Kanshi's host.*): the private side when exactly one side
 * is private, otherwise the side the vendor's semantics prefer.
 */
export function affectedEndpoint(src: Endpoint, dst: Endpoint, prefer: 'source' | 'destination'): Endpoint {
  const sp = isPrivateIp(src.ip);
  const dp = isPrivateIp(dst.ip);
  if (sp && !dp) return src;
  if (dp && !sp) return dst;
  return prefer === 'source' ? src : dst;
}

export function setHost(ecs: Ecs, e: Endpoint): void {
  if (e.name) ecs.setDefault('host.name', e.name);
  if (e.ip) ecs.push('host.ip', e.ip);
  if (e.mac) ecs.push('host.mac', e.mac);
}

/**
 * Whether the sensor prevented the activity, read from an action/result text.
 * Failure words win ("Unable to quarantine"), then preventive words, then permissive ones.
 */
export function blockedFromText(...texts: Array<string | undefined>): boolean | null {
  const all = texts.filter((t): t is string => !!t && t.trim() !== '').map((t) => t.toLowerCase().replace(/[_-]+/g, ' '));
  if (!all.length) return null;
  const failed = /\b(unable|fail(ed|ure)?|could ?not|cannot|can't|not (blocked|quarantined|cleaned|deleted|removed))\b/;
  const prevented =
    /\b(block(ed|ing)?|deny|denied|drop(ped)?|reset|reject(ed)?|quarantin\w*|clean(ed)?|delet(e|ed)|remov(e|ed)|terminat\w*|kill(ed)?|prevent(ed|ion)?|sinkhole|isolat\w*|disinfect\w*|eras(e|ed)|contain(ed)?)\b/;
  const permitted =
    /\b(pass(ed|through)?|allow(ed)?|permit(ted)?|accept(ed)?|log(ged)? only|detect(ed)?|detection|alert(ed)?|notif(y|ied)|monitor(ed)?|none|no action|left alone|leave alone|ignored?|skipped|continue)\b/;
  if (all.some((t) => failed.test(t))) return false;
  if (all.some((t) => prevented.test(t))) return true;
  if (all.some((t) => permitted.test(t))) return false;
  return null;
}
