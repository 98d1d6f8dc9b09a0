// Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed keys (Rack
// style), for request bodies and query strings alike.
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormParseError';
  }
}

// Keys that would reach Object.prototype if used as property names.
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

function decodeFormComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new FormParseError(`Invalid percent-encoding in ${JSON.stringify(raw)}`);
  }
}

// `a[b][0][c]` -> ['a', 'b', '0', 'c']; `a[]` -> ['a', '']. A key with unbalanced brackets is
// taken literally, as Rack (which Stripe's API is built on) does.
function splitFormKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  const rest = key.slice(open);
  const re = /\[([^[\]]*)\]/g;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest)) !== null) {
    if (m.index !== consumed) return [key];
    segments.push(m[1]);
    consumed = re.lastIndex;
  }
  return consumed === rest.length ? segments : [key];
}

const isIndex = (segment: string): boolean => segment === '' || /^\d+$/.test(segment);

function arrayToObject(arr: FormValue[]): FormObject {
  const obj: FormObject = {};
  arr.forEach((v, i) => {
    if (v !== undefined) obj[String(i)] = v;
  });
  return obj;
}

type Container = FormObject | FormValue[];

function childOf(container: Container, segment: string): FormValue | undefined {
  if (Array.isArray(container)) return segment === '' ? undefined : container[Number(segment)];
  return Object.prototype.hasOwnProperty.call(container, segment) ? container[segment] : undefined;
}

function setChild(container: Container, segment: string, value: FormValue): void {
  if (Array.isArray(container)) {
    if (segment === '') container.push(value);
    else container[Number(segment)] = value;
  } else {
    container[segment] = value;
  }
}

/**
 * Parses an `application/x-www-form-urlencoded` string the way Stripe reads request bodies and
 * query strings: `metadata[key]=v` builds nested objects, `items[0]=x` / `items[]=x` build
 * arrays, `+` and `%20` are spaces, percent-encoded brackets are accepted. Later pairs win.
 */
export function parseStripeForm(input: string): FormObject {
  const root: FormObject = {};
  for (const pair of input.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1));
    if (key === '') continue;
    const segments = splitFormKey(key);
    if (segments.some((s) => FORBIDDEN_KEYS.has(s))) continue;

    let container: Container = root;
    for (let i = 0; i < segments.length; i++) {
      let segment = segments[i];
      // A named key used on what started as an array turns it into an object.
      if (Array.isArray(container) && !isIndex(segment)) {
        const converted = arrayToObject(container);
        replaceInParent(root, segments.slice(0, i), converted);
        container = converted;
      }
      if (i === segments.length - 1) {
        setChild(container, segment, value);
        break;
      }
      let next = childOf(container, segment);
      if (next === undefined || typeof next === 'string') {
        next = isIndex(segments[i + 1]) ? [] : {};
        if (Array.isArray(container) && segment === '') {
          container.push(next);
          segment = String(container.length - 1);
        } else {
          setChild(container, segment, next);
        }
        segments[i] = segment;
      }
      container = next as Container;
    }
  }
  return compactArrays(root) as FormObject;
}

function replaceInParent(root: FormObject, path: string[], value: FormValue): void {
  let node: Container = root;
  for (let i = 0; i < path.length - 1; i++) node = childOf(node, path[i]) as Container;
  setChild(node, path[path.length - 1], value);
}

// `a[0]=x&a[2]=y` leaves a hole; Stripe treats indexes as ordering only.
function compactArrays(value: FormValue): FormValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compactArrays);
  const out: FormObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = compactArrays(v);
  return out;
}

/** Encodes an object the way the Stripe SDKs do (`a[b]=c`, `a[0]=x`), for hand-made requests. */
export function encodeStripeForm(params: Record<string, unknown>): string {
  const pairs: string[] = [];
  const encode = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object') {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value === null ? '' : String(value))}`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => encode(`${key}[${i}]`, v));
    } else {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) encode(`${key}[${k}]`, v);
    }
  };
  for (const [k, v] of Object.entries(params)) encode(k, v);
  return pairs.join('&');
}
