// Compiles one field item (`field|modifiers: values`) into a predicate on an ECS document.
// Everything that can be prepared is prepared here, once per rule load: lower-cased needles,
// RE2 programs (linear time, so no rule can stall the consumer), parsed networks.
import { RE2JS } from 're2js';
import { isIP } from 'node:net';
import { anyValueAt, fieldPath } from './sigma-fields';
import type { FieldSpec, SigmaModifier, SigmaScalar } from './sigma-rule';

/** A field item that cannot be compiled; the parser adds the position. */
export class FieldSpecError extends Error {}

export type DocPredicate = (doc: Record<string, unknown>) => boolean;
type ValuePredicate = (value: unknown) => boolean;

const TRANSFORMS: ReadonlySet<SigmaModifier> = new Set(['contains', 'startswith', 'endswith']);

const present = (v: unknown): boolean => v !== null;

export function compileField(spec: FieldSpec): DocPredicate {
  const mods = new Set(spec.modifiers);
  const path = fieldPath(spec.field);
  if (mods.has('exists')) {
    if (spec.modifiers.length > 1) throw new FieldSpecError(`"exists" takes no other modifier`);
    if (spec.values.length !== 1 || typeof spec.values[0] !== 'boolean') throw new FieldSpecError(`"exists" takes true or false`);
    const want = spec.values[0];
    return (doc) => anyValueAt(doc, path, present) === want;
  }
  if (!spec.values.length) throw new FieldSpecError(`${spec.written} has an empty list of values`);
  const hasNull = spec.values.some((v) => v === null);
  const matchers = spec.values.filter((v) => v !== null).map((v) => valueMatcher(v as Exclude<SigmaScalar, null>, mods));
  if (mods.has('all')) {
    if (hasNull) throw new FieldSpecError(`"all" cannot be combined with a null value`);
    return (doc) => matchers.every((m) => anyValueAt(doc, path, m));
  }
  const any: ValuePredicate = matchers.length === 1 ? matchers[0] : (v) => matchers.some((m) => m(v));
  if (!hasNull) return matchers.length ? (doc) => anyValueAt(doc, path, any) : () => false;
  return (doc) => (matchers.length > 0 && anyValueAt(doc, path, any)) || !anyValueAt(doc, path, present);
}

function valueMatcher(value: Exclude<SigmaScalar, null>, mods: Set<SigmaModifier>): ValuePredicate {
  const transforms = [...mods].filter((m) => TRANSFORMS.has(m));
  if (transforms.length > 1) throw new FieldSpecError(`modifiers ${transforms.join(' and ')} cannot be combined`);
  const compare = (['lt', 'lte', 'gt', 'gte'] as const).filter((m) => mods.has(m));
  if (compare.length) {
    if (compare.length > 1 || mods.size > 1) throw new FieldSpecError(`"${compare[0]}" takes no other modifier`);
    if (typeof value !== 'number') throw new FieldSpecError(`"${compare[0]}" needs a number, got "${String(value)}"`);
    return numberCompare(compare[0], value);
  }
  if (mods.has('cidr')) {
    if (mods.size > 1) throw new FieldSpecError(`"cidr" takes no other modifier`);
    return cidrMatcher(String(value));
  }
  if (mods.has('re')) {
    const extra = [...mods].filter((m) => m !== 're' && m !== 'i' && m !== 'm' && m !== 's' && m !== 'all');
    if (extra.length) throw new FieldSpecError(`"re" cannot be combined with "${extra[0]}"`);
    return regexMatcher(String(value), mods);
  }
  for (const flag of ['i', 'm', 's'] as const) if (mods.has(flag)) throw new FieldSpecError(`"${flag}" is a flag of "re"`);
  if (typeof value === 'number' && !mods.has('base64') && !mods.has('base64offset') && !transforms.length) {
    const text = String(value);
    return (v) => v === value || (typeof v === 'string' && v.trim() === text);
  }
  if (typeof value === 'boolean' && !transforms.length) return (v) => v === value || (typeof v === 'string' && v.toLowerCase() === String(value));
  let needles = [String(value)];
  const wide = mods.has('wide') || mods.has('utf16le');
  if (wide && !mods.has('base64') && !mods.has('base64offset')) throw new FieldSpecError(`"${mods.has('wide') ? 'wide' : 'utf16le'}" needs "base64" or "base64offset"`);
  if (mods.has('base64') && mods.has('base64offset')) throw new FieldSpecError(`"base64" and "base64offset" cannot be combined`);
  if (mods.has('base64offset')) {
    if (!mods.has('contains')) throw new FieldSpecError(`"base64offset" needs "contains"`);
    needles = base64Offsets(literal(needles[0]), wide).map(escapeWildcards);
  } else if (mods.has('base64')) {
    needles = [escapeWildcards(Buffer.from(literal(needles[0]), wide ? 'utf16le' : 'utf8').toString('base64'))];
  }
  const cased = mods.has('cased') || mods.has('base64') || mods.has('base64offset');
  const open = { start: mods.has('contains') || mods.has('endswith'), end: mods.has('contains') || mods.has('startswith') };
  const ms = needles.map((n) => stringMatcher(n, open, cased));
  return ms.length === 1 ? ms[0] : (v) => ms.some((m) => m(v));
}

// Lower-cased field values: one alert's values are compared by many rules.
const LOWER_CACHE = new Map<string, string>();
const LOWER_CACHE_MAX = 8192;

function lower(s: string): string {
  let l = LOWER_CACHE.get(s);
  if (l === undefined) {
    if (LOWER_CACHE.size >= LOWER_CACHE_MAX) LOWER_CACHE.clear();
    l = s.toLowerCase();
    if (s.length <= 1024) LOWER_CACHE.set(s, l);
  }
  return l;
}

function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

type Piece = { kind: 'lit'; text: string } | { kind: 'star' } | { kind: 'one' };

// Sigma's escapes: \* and \? are literal wildcard characters, \\ one backslash; any other
// backslash is itself.
function pieces(pattern: string): Piece[] {
  const out: Piece[] = [];
  let lit = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '?' || pattern[i + 1] === '\\')) {
      lit += pattern[++i];
    } else if (c === '*' || c === '?') {
      if (lit) out.push({ kind: 'lit', text: lit });
      lit = '';
      out.push(c === '*' ? { kind: 'star' } : { kind: 'one' });
    } else lit += c;
  }
  if (lit) out.push({ kind: 'lit', text: lit });
  return out;
}

function literal(pattern: string): string {
  return pieces(pattern).map((p) => (p.kind === 'lit' ? p.text : p.kind === 'star' ? '*' : '?')).join('');
}

function escapeWildcards(text: string): string {
  return text.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/** `pattern` with Sigma wildcards; `open` adds a `*` before or after it (contains, endswith, startswith). */
function stringMatcher(pattern: string, open: { start: boolean; end: boolean }, cased: boolean): ValuePredicate {
  const ps: Piece[] = [...(open.start ? [{ kind: 'star' } as const] : []), ...pieces(pattern), ...(open.end ? [{ kind: 'star' } as const] : [])];
  const fold = (s: string): string => (cased ? s : lower(s));
  const lits = ps.filter((p): p is { kind: 'lit'; text: string } => p.kind === 'lit').map((p) => fold(p.text));
  const shape = ps.map((p) => (p.kind === 'lit' ? 'L' : p.kind === 'star' ? '*' : '?')).join('');
  const on = (test: (s: string) => boolean): ValuePredicate => (v) => {
    const t = textOf(v);
    return t !== null && test(fold(t));
  };
  // The shapes rules use nearly always: no regular expression needed.
  if (shape === 'L') return on((s) => s === lits[0]);
  if (shape === '') return on((s) => s === '');
  if (shape === '*') return on(() => true);
  if (shape === 'L*') return on((s) => s.startsWith(lits[0]));
  if (shape === '*L') return on((s) => s.endsWith(lits[0]));
  if (shape === '*L*') return on((s) => s.includes(lits[0]));
  const source = ps.map((p) => (p.kind === 'lit' ? RE2JS.quote(p.text) : p.kind === 'star' ? '.*' : '.')).join('');
  const re = RE2JS.compile(`^(?:${source})$`, RE2JS.DOTALL | (cased ? 0 : RE2JS.CASE_INSENSITIVE));
  return (v) => {
    const t = textOf(v);
    return t !== null && re.matches(t);
  };
}

function regexMatcher(source: string, mods: Set<SigmaModifier>): ValuePredicate {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, (mods.has('i') ? RE2JS.CASE_INSENSITIVE : 0) | (mods.has('m') ? RE2JS.MULTILINE : 0) | (mods.has('s') ? RE2JS.DOTALL : 0));
  } catch (e) {
    throw new FieldSpecError(`regular expression /${source}/ is not valid RE2: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Most patterns begin with text every match must contain: checking it first skips the RE2
  // program (slow in JavaScript) for nearly every value.
  const literal = requiredPrefix(source);
  const folded = mods.has('i') ? literal.toLowerCase() : literal;
  return (v) => {
    const t = textOf(v);
    if (t === null) return false;
    if (folded && !(mods.has('i') ? lower(t) : t).includes(folded)) return false;
    return re.test(t);
  };
}

/** Leading plain text of a pattern with no alternation and no inline flags; '' when unsure. */
export function requiredPrefix(source: string): string {
  if (source.includes('|') || source.startsWith('(?')) return '';
  const start = source.startsWith('^') ? 1 : 0;
  let end = start;
  while (end < source.length && /[A-Za-z0-9 _\-]/.test(source[end]) && source[end] !== '\\') end++;
  // A quantifier after the text makes its last character optional.
  if (end < source.length && '?*{'.includes(source[end])) end--;
  const prefix = source.slice(start, Math.max(start, end));
  return prefix.length >= 3 ? prefix : '';
}

// The three encodings of `text` at byte offsets 0, 1 and 2 of a base64 stream, with the
// characters that depend on the neighbouring bytes cut off (how Sigma's base64offset works).
function base64Offsets(text: string, wide: boolean): string[] {
  const bytes = Buffer.from(text, wide ? 'utf16le' : 'utf8');
  // Leading characters that also carry bits of the unknown bytes before the text, per offset.
  const startCut = [0, 2, 3];
  return [0, 1, 2].map((offset) => {
    const stripped = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    // A last group short of 3 bytes ends in a character that also carries the next byte's bits.
    const end = (offset + bytes.length) % 3 ? stripped.length - 1 : stripped.length;
    return stripped.slice(startCut[offset], end);
  });
}

function numberCompare(op: 'lt' | 'lte' | 'gt' | 'gte', limit: number): ValuePredicate {
  return (v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isNaN(n)) return false;
    return op === 'lt' ? n < limit : op === 'lte' ? n <= limit : op === 'gt' ? n > limit : n >= limit;
  };
}

/** An address as 4 or 16 bytes, or null. */
export function ipBytes(text: string): Uint8Array | null {
  const version = isIP(text);
  if (version === 4) return Uint8Array.from(text.split('.').map(Number));
  if (version !== 6) return null;
  let s = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (v4) {
    tail = v4[1].split('.').map(Number);
    s = s.slice(0, -v4[1].length) + '0:0';
  }
  const [head, rest] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - r.length).fill('0'), ...r];
  const out = new Uint8Array(16);
  groups.forEach((g, k) => {
    const n = parseInt(g, 16);
    out[k * 2] = n >> 8;
    out[k * 2 + 1] = n & 0xff;
  });
  if (v4) out.set(tail, 12);
  return out;
}

// Parsed addresses: the same few addresses recur across events and rules.
const IP_CACHE = new Map<string, Uint8Array | null>();
const IP_CACHE_MAX = 4096;

function cachedIp(text: string): Uint8Array | null {
  let ip = IP_CACHE.get(text);
  if (ip === undefined) {
    if (IP_CACHE.size >= IP_CACHE_MAX) IP_CACHE.clear();
    ip = ipBytes(text);
    IP_CACHE.set(text, ip);
  }
  return ip;
}

function cidrMatcher(text: string): ValuePredicate {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  const net = m ? ipBytes(m[1]) : null;
  const bits = m ? Number(m[2]) : -1;
  if (!net || bits > net.length * 8) throw new FieldSpecError(`"${text}" is not an IPv4 or IPv6 network (address/prefix)`);
  return (v) => {
    if (typeof v !== 'string') return false;
    const ip = cachedIp(v);
    if (!ip || ip.length !== net.length) return false;
    const full = bits >> 3;
    for (let k = 0; k < full; k++) if (ip[k] !== net[k]) return false;
    const rest = bits & 7;
    if (!rest) return true;
    const mask = (0xff << (8 - rest)) & 0xff;
    return (ip[full] & mask) === (net[full] & mask);
  };
}
