// JSON helpers with precise error positions. JSON.parse does the parsing; on failure a small
// iterative scanner (no recursion, so deep nesting cannot overflow the stack) finds where and why
// the text stops being JSON, with a message that does not echo the payload back.
import { fail } from './types';

export interface JsonSyntaxError {
  message: string;
  position: number;
}

export interface Span {
  start: number;
  end: number;
}

type ScanResult = { ok: true; end: number } | { ok: false; error: JsonSyntaxError };

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

export function skipWhitespace(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

function describe(s: string, i: number): string {
  const c = s[i];
  if (c === undefined) return 'end of JSON input';
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `token '${c}'`;
}

function err(message: string, position: number): ScanResult {
  return { ok: false, error: { message, position } };
}

function unexpected(s: string, i: number): ScanResult {
  return err(`Unexpected ${describe(s, i)}`, i);
}

function scanString(s: string, i: number): ScanResult {
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x22) return { ok: true, end: j + 1 };
    if (c === 0x5c) {
      const n = s[j + 1];
      if (n === undefined) return err('Unexpected end of JSON input', s.length);
      if ('"\\/bfnrt'.includes(n)) {
        j += 2;
      } else if (n === 'u') {
        const hex = s.slice(j + 2, j + 6);
        if (hex.length < 4 && /^[0-9a-fA-F]*$/.test(hex)) return err('Unexpected end of JSON input', s.length);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return err('Bad Unicode escape in string', j);
        j += 6;
      } else {
        return err('Bad escaped character in string', j);
      }
      continue;
    }
    if (c < 0x20) return err(`Bad control character in string`, j);
    j++;
  }
  return err('Unexpected end of JSON input', s.length);
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scanNumber(s: string, i: number): ScanResult {
  NUMBER_RE.lastIndex = i;
  const m = NUMBER_RE.exec(s);
  if (!m || m[0] === '-' || m[0] === '') return s[i + 1] === undefined ? err('Unexpected end of JSON input', s.length) : unexpected(s, i + 1);
  const end = i + m[0].length;
  const next = s[end];
  if (next === '.' || next === 'e' || next === 'E') {
    return end + 1 >= s.length ? err('Unexpected end of JSON input', s.length) : err('Unterminated number', end);
  }
  return { ok: true, end };
}

function scanLiteral(s: string, i: number): ScanResult {
  for (const word of ['true', 'false', 'null']) {
    if (s.startsWith(word, i)) return { ok: true, end: i + word.length };
    const tail = s.slice(i);
    if (tail.length < word.length && word.startsWith(tail)) return err('Unexpected end of JSON input', s.length);
  }
  return unexpected(s, i);
}

/** Scans one JSON value starting at `start` (after optional whitespace). */
export function scanValue(s: string, start: number): ScanResult {
  const stack: Array<'{' | '['> = [];
  let i = skipWhitespace(s, start);
  let mode: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    if (mode === 'value') {
      if (i >= s.length) return err('Unexpected end of JSON input', s.length);
      const c = s[i];
      if (c === '{') {
        i = skipWhitespace(s, i + 1);
        if (s[i] === '}') {
          i++;
          mode = 'after';
        } else {
          stack.push('{');
          mode = 'key';
        }
        continue;
      }
      if (c === '[') {
        i = skipWhitespace(s, i + 1);
        if (s[i] === ']') {
          i++;
          mode = 'after';
        } else {
          stack.push('[');
        }
        continue;
      }
      let r: ScanResult;
      if (c === '"') r = scanString(s, i);
      else if (c === '-' || (c >= '0' && c <= '9')) r = scanNumber(s, i);
      else if (c === 't' || c === 'f' || c === 'n') r = scanLiteral(s, i);
      else return unexpected(s, i);
      if (!r.ok) return r;
      i = r.end;
      mode = 'after';
      continue;
    }
    if (mode === 'key') {
      if (i >= s.length) return err('Unexpected end of JSON input', s.length);
      if (s[i] !== '"') return err(`Expected property name or '}' but found ${describe(s, i)}`, i);
      const r = scanString(s, i);
      if (!r.ok) return r;
      i = skipWhitespace(s, r.end);
      if (i >= s.length) return err('Unexpected end of JSON input', s.length);
      if (s[i] !== ':') return err(`Expected ':' after property name but found ${describe(s, i)}`, i);
      i = skipWhitespace(s, i + 1);
      mode = 'value';
      continue;
    }
    // after a value
    if (stack.length === 0) return { ok: true, end: i };
    i = skipWhitespace(s, i);
    if (i >= s.length) return err('Unexpected end of JSON input', s.length);
    const top = stack[stack.length - 1];
    const close = top === '{' ? '}' : ']';
    if (s[i] === ',') {
      i = skipWhitespace(s, i + 1);
      mode = top === '{' ? 'key' : 'value';
      continue;
    }
    if (s[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    return err(`Expected ',' or '${close}' but found ${describe(s, i)}`, i);
  }
}

/** Why `text` is not one JSON document (JSON.parse already failed). */
export function locateJsonError(text: string, fallback: string): JsonSyntaxError {
  const r = scanValue(text, 0);
  if (!r.ok) return r.error;
  const end = skipWhitespace(text, r.end);
  if (end < text.length) return { message: `Unexpected ${describe(text, end)} after the JSON value`, position: end };
  // The scanner accepts what JSON.parse refused (e.g. nesting too deep): keep V8's reason without the payload.
  return { message: fallback.replace(/,?\s*".*$/s, '').slice(0, 120) || 'Invalid JSON', position: 0 };
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError };

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: locateJsonError(text, e instanceof Error ? e.message : String(e)) };
  }
}

export function formatJsonError(error: JsonSyntaxError): string {
  return `${error.message} at position ${error.position}`;
}

/** Consecutive top-level JSON values separated by whitespace (one object, NDJSON, concatenated). */
export function splitJsonValues(text: string): { ok: true; spans: Span[] } | { ok: false; error: JsonSyntaxError } {
  const spans: Span[] = [];
  let i = skipWhitespace(text, 0);
  while (i < text.length) {
    const r = scanValue(text, i);
    if (!r.ok) return r;
    spans.push({ start: i, end: r.end });
    i = skipWhitespace(text, r.end);
  }
  return { ok: true, spans };
}

/** The elements of a top-level JSON array, as spans of the text. */
export function splitJsonArray(text: string): { ok: true; spans: Span[] } | { ok: false; error: JsonSyntaxError } {
  let i = skipWhitespace(text, 0);
  if (text[i] !== '[') return { ok: false, error: { message: `Expected '[' but found ${describe(text, i)}`, position: i } };
  const spans: Span[] = [];
  i = skipWhitespace(text, i + 1);
  if (text[i] === ']') {
    const end = skipWhitespace(text, i + 1);
    if (end < text.length) return { ok: false, error: { message: `Unexpected ${describe(text, end)} after the JSON value`, position: end } };
    return { ok: true, spans };
  }
  for (;;) {
    const r = scanValue(text, i);
    if (!r.ok) return r;
    spans.push({ start: i, end: r.end });
    i = skipWhitespace(text, r.end);
    if (i >= text.length) return { ok: false, error: { message: 'Unexpected end of JSON input', position: text.length } };
    if (text[i] === ',') {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (text[i] === ']') {
      const end = skipWhitespace(text, i + 1);
      if (end < text.length) return { ok: false, error: { message: `Unexpected ${describe(text, end)} after the JSON value`, position: end } };
      return { ok: true, spans };
    }
    return { ok: false, error: { message: `Expected ',' or ']' but found ${describe(text, i)}`, position: i } };
  }
}

/** Case- and separator-insensitive key: "alert-url", "alertURL", "alert_url" all read "alerturl". */
export function foldKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s.]/g, '');
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** First present value among `names` in `obj`, matching keys by foldKey. */
export function pick(obj: unknown, ...names: string[]): unknown {
  if (!isObject(obj)) return undefined;
  const wanted = names.map(foldKey);
  for (const w of wanted) {
    for (const [k, v] of Object.entries(obj)) {
      if (foldKey(k) === w && v !== undefined && v !== null && v !== '') return v;
    }
  }
  return undefined;
}

export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** The JSON vendors' entry: one object, or an array of objects, with a labelled reason otherwise. */
export function jsonObjects(
  label: string,
  message: string,
): { ok: true; objects: Array<Record<string, unknown>> } | { ok: false; reason: string } {
  const text = message.trim();
  if (text === '') return fail(`${label}: empty record`);
  if (text[0] !== '{' && text[0] !== '[') return fail(`${label}: expected a JSON object, found text starting with "${text.slice(0, 12)}"`);
  const parsed = parseJson(text);
  if (!parsed.ok) return fail(`${label}: ${label === 'JSON' ? '' : 'invalid JSON: '}${formatJsonError(parsed.error)}`);
  const values = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (!values.length) return fail(`${label}: empty JSON array`);
  const objects = values.filter(isObject);
  if (objects.length !== values.length) {
    const bad = values.find((v) => !isObject(v));
    return fail(`${label}: expected a JSON object, got ${bad === null ? 'null' : Array.isArray(bad) ? 'an array' : typeof bad}`);
  }
  return { ok: true, objects };
}
