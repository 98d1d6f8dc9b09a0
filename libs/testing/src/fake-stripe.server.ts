// A local HTTP server that speaks the slice of Stripe's v1 REST API Kanshi uses (customers,
// invoice items, invoices), so the real `stripe` SDK can be exercised over real HTTP in tests.
// It follows Stripe's documented wire format: form-encoded bodies with bracketed keys, bearer
// API keys, JSON objects with `id` and `object`, `{ error: { type, code, message, param } }`
// errors, and idempotent replay keyed by the `Idempotency-Key` header.
import { createHmac, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Socket } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Form encoding
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Objects the fake stores (a documented subset of each Stripe object's fields)
// ---------------------------------------------------------------------------------------------

export type StripeMetadata = Record<string, string>;

export interface FakeStripeAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface FakeStripeCustomer {
  id: string;
  object: 'customer';
  address: FakeStripeAddress | null;
  balance: number;
  created: number;
  currency: string | null;
  delinquent: boolean;
  description: string | null;
  email: string | null;
  invoice_prefix: string;
  livemode: false;
  metadata: StripeMetadata;
  name: string | null;
  next_invoice_sequence: number;
  phone: string | null;
  preferred_locales: string[];
  tax_exempt: 'none' | 'exempt' | 'reverse';
}

export interface FakeStripeInvoiceItem {
  id: string;
  object: 'invoiceitem';
  amount: number;
  currency: string;
  customer: string;
  date: number;
  description: string | null;
  discountable: boolean;
  invoice: string | null;
  livemode: false;
  metadata: StripeMetadata;
  period: { start: number; end: number };
  proration: false;
  quantity: number;
  quantity_decimal: string;
}

export interface FakeStripeLineItem {
  id: string;
  object: 'line_item';
  amount: number;
  currency: string;
  description: string | null;
  invoice: string;
  livemode: false;
  metadata: StripeMetadata;
  parent: { type: 'invoice_item_details'; invoice_item_details: { invoice_item: string; proration: false; subscription: null } };
  period: { start: number; end: number };
  quantity: number;
  quantity_decimal: string;
  subtotal: number;
}

export interface FakeStripeList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export type FakeStripeInvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

export interface FakeStripeInvoice {
  id: string;
  object: 'invoice';
  account_country: string;
  account_name: string;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  attempted: boolean;
  auto_advance: boolean;
  collection_method: 'charge_automatically' | 'send_invoice';
  created: number;
  currency: string;
  customer: string;
  customer_address: FakeStripeAddress | null;
  customer_email: string | null;
  customer_name: string | null;
  description: string | null;
  due_date: number | null;
  effective_at: number | null;
  ending_balance: number | null;
  footer: string | null;
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
  lines: FakeStripeList<FakeStripeLineItem>;
  livemode: false;
  metadata: StripeMetadata;
  number: string | null;
  period_end: number;
  period_start: number;
  starting_balance: number;
  status: FakeStripeInvoiceStatus;
  status_transitions: {
    finalized_at: number | null;
    marked_uncollectible_at: number | null;
    paid_at: number | null;
    voided_at: number | null;
  };
  subtotal: number;
  subtotal_excluding_tax: number;
  total: number;
  total_excluding_tax: number;
}

// The invoice as stored: totals and lines are derived from the attached items when rendered.
type StoredInvoice = Omit<FakeStripeInvoice, 'lines' | 'subtotal' | 'subtotal_excluding_tax' | 'total' | 'total_excluding_tax' | 'amount_due' | 'amount_remaining'> & {
  daysUntilDue: number | null;
  // Set when the invoice leaves draft: Stripe freezes the amounts at finalization.
  frozenTotal: number | null;
};

export interface FakeStripeEvent<T = unknown> {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: T; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

// ---------------------------------------------------------------------------------------------
// Test controls
// ---------------------------------------------------------------------------------------------

/**
 * How an injected failure behaves:
 * - `error`: answer with `status` and a Stripe error body, without executing (nothing stored);
 * - `drop`: read the request, then destroy the connection without executing it;
 * - `lose-response`: execute the request (and store its idempotent result), then destroy the
 *   connection, as when Stripe commits but the answer never arrives;
 * - `hang`: never answer (the client's timeout fires).
 */
export type FakeStripeFailureMode = 'error' | 'drop' | 'lose-response' | 'hang';

export interface FakeStripeFailure {
  mode?: FakeStripeFailureMode;
  /** HTTP status for `error` mode; 500 by default. */
  status?: number;
  /** Stripe error type for `error` mode; `api_error` by default. */
  type?: string;
  code?: string;
  message?: string;
  /** Sets the `Stripe-Should-Retry` header on an `error` answer. */
  shouldRetry?: boolean;
  /** Only requests with this method count (case-insensitive). */
  method?: string;
  /** Only requests whose path equals this string or matches this pattern count. */
  path?: string | RegExp;
  /** Let this many matching requests through before failing. */
  skip?: number;
}

export interface FakeStripeRequest {
  method: string;
  path: string;
  query: FormObject;
  idempotencyKey: string | undefined;
  body: FormObject;
  /** HTTP status answered; 0 when the connection was dropped or the request hung. */
  status: number;
  replayed: boolean;
  injected: FakeStripeFailureMode | undefined;
}

export interface FakeStripeServerOptions {
  /** When set, only this exact secret key is accepted; otherwise any `sk_test_`/`rk_test_` key. */
  apiKey?: string;
  host?: string;
  port?: number;
  apiVersion?: string;
  accountName?: string;
}

export interface SendWebhookOptions {
  secret: string;
  /** Unix seconds put in the signature header; now by default. */
  timestamp?: number;
  /** `bad` signs with the right format but a wrong HMAC. */
  signature?: 'valid' | 'bad';
  previousAttributes?: Record<string, unknown>;
}

export interface SentWebhook<T> {
  status: number;
  responseBody: string;
  event: FakeStripeEvent<T>;
  payload: string;
  signatureHeader: string;
}

// ---------------------------------------------------------------------------------------------
// Webhook signing (https://docs.stripe.com/webhooks#verify-manually)
// ---------------------------------------------------------------------------------------------

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function randomId(prefix: string, length = 14): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE62[b % 62];
  return `${prefix}_${out}`;
}

export const FAKE_STRIPE_API_VERSION = '2026-10-28.endive';

/** `Stripe-Signature` value for `payload`: `t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`. */
export function stripeSignatureHeader(payload: string, secret: string, timestamp: number = nowSeconds()): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** A well-formed `Stripe-Signature` whose HMAC does not match `payload` under any real secret. */
export function badStripeSignatureHeader(payload: string, timestamp: number = nowSeconds()): string {
  const v1 = createHmac('sha256', 'whsec_not_the_secret').update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export function buildStripeEvent<T>(
  type: string,
  object: T,
  options: { apiVersion?: string; created?: number; previousAttributes?: Record<string, unknown> } = {},
): FakeStripeEvent<T> {
  return {
    id: randomId('evt', 24),
    object: 'event',
    api_version: options.apiVersion ?? FAKE_STRIPE_API_VERSION,
    created: options.created ?? nowSeconds(),
    data: options.previousAttributes ? { object, previous_attributes: options.previousAttributes } : { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

// ---------------------------------------------------------------------------------------------
// Errors answered by the fake
// ---------------------------------------------------------------------------------------------

export interface StripeErrorBody {
  type: string;
  message: string;
  code?: string;
  param?: string;
  doc_url?: string;
}

class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

function invalidRequest(message: string, opts: { param?: string; code?: string; status?: number } = {}): ApiFailure {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (opts.code) {
    body.code = opts.code;
    body.doc_url = `https://stripe.com/docs/error-codes/${opts.code.replace(/_/g, '-')}`;
  }
  if (opts.param) body.param = opts.param;
  return new ApiFailure(opts.status ?? 400, body);
}

const missingParam = (param: string): ApiFailure =>
  invalidRequest(`Missing required param: ${param}.`, { param, code: 'parameter_missing' });

const noSuch = (kind: string, id: string, param: string, status: 400 | 404): ApiFailure =>
  invalidRequest(`No such ${kind}: '${id}'`, { param, code: 'resource_missing', status });

// ---------------------------------------------------------------------------------------------
// Parameter readers
// ---------------------------------------------------------------------------------------------

function rejectUnknown(params: FormObject, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      const param = prefix ? `${prefix}[${key}]` : key;
      throw invalidRequest(`Received unknown parameter: ${param}`, { param, code: 'parameter_unknown' });
    }
  }
}

function readString(params: FormObject, name: string, required = false): string | undefined {
  const value = params[name];
  if (value === undefined) {
    if (required) throw missingParam(name);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(value)}`, { param: name });
  if (required && value === '') throw invalidRequest(`You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset.`, { param: name, code: 'parameter_invalid_empty' });
  return value;
}

// Stripe amounts are integers in the currency's smallest unit; for JPY (zero-decimal) that is
// whole yen, so `1000.5` is rejected rather than rounded.
function readInteger(params: FormObject, name: string, required = false): number | undefined {
  const raw = readString(params, name, required);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw invalidRequest(`Invalid integer: ${raw}`, { param: name, code: 'parameter_invalid_integer' });
  }
  return Number(raw);
}

function readBoolean(params: FormObject, name: string): boolean | undefined {
  const raw = readString(params, name);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') throw invalidRequest(`Invalid boolean: ${raw}`, { param: name });
  return raw === 'true';
}

function readEnum<T extends string>(params: FormObject, name: string, values: readonly T[]): T | undefined {
  const raw = readString(params, name);
  if (raw === undefined) return undefined;
  if (!values.includes(raw as T)) {
    throw invalidRequest(`Invalid ${name}: must be one of ${values.join(', ')}`, { param: name });
  }
  return raw as T;
}

function readCurrency(params: FormObject, name = 'currency'): string | undefined {
  const raw = readString(params, name);
  if (raw === undefined) return undefined;
  const currency = raw.toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidRequest(`Invalid currency: ${raw}.`, { param: name });
  return currency;
}

// Returns `null` for `metadata=` (unset all), the pairs otherwise; an empty value unsets a key.
function readMetadata(params: FormObject): Record<string, string> | null | undefined {
  const raw = params.metadata;
  if (raw === undefined) return undefined;
  if (raw === '') return null;
  if (typeof raw === 'string' || Array.isArray(raw)) throw invalidRequest('Invalid hash', { param: 'metadata' });
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw invalidRequest('Invalid string for metadata value', { param: `metadata[${key}]` });
    if (key.length > 40) throw invalidRequest('Metadata keys can be at most 40 characters long.', { param: `metadata[${key}]` });
    if (value.length > 500) throw invalidRequest('Metadata values can be at most 500 characters long.', { param: `metadata[${key}]` });
    out[key] = value;
  }
  return out;
}

function applyMetadata(current: StripeMetadata, update: Record<string, string> | null | undefined): StripeMetadata {
  if (update === undefined) return current;
  if (update === null) return {};
  const next = { ...current };
  for (const [k, v] of Object.entries(update)) {
    if (v === '') delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > 50) throw invalidRequest('You can have at most 50 metadata keys.', { param: 'metadata' });
  return next;
}

const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'state', 'postal_code', 'country'] as const;

function readAddress(params: FormObject, current: FakeStripeAddress | null): FakeStripeAddress | null | undefined {
  const raw = params.address;
  if (raw === undefined) return undefined;
  if (raw === '') return null;
  if (typeof raw === 'string' || Array.isArray(raw)) throw invalidRequest('Invalid hash', { param: 'address' });
  rejectUnknown(raw, ADDRESS_FIELDS, 'address');
  const next: FakeStripeAddress = current ? { ...current } : { line1: null, line2: null, city: null, state: null, postal_code: null, country: null };
  for (const field of ADDRESS_FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalidRequest('Invalid string', { param: `address[${field}]` });
    next[field] = value === '' ? null : value;
  }
  return next;
}

function readListParams(query: FormObject, extra: readonly string[]): { limit: number; startingAfter?: string; endingBefore?: string } {
  rejectUnknown(query, ['limit', 'starting_after', 'ending_before', 'expand', ...extra]);
  const limit = readInteger(query, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('This value must be between 1 and 100.', { param: 'limit' });
  return { limit, startingAfter: readString(query, 'starting_after'), endingBefore: readString(query, 'ending_before') };
}

// Stripe lists newest first; `starting_after`/`ending_before` are object ids (cursor paging).
function paginate<T extends { id: string }>(newestFirst: T[], url: string, page: { limit: number; startingAfter?: string; endingBefore?: string }): FakeStripeList<T> {
  let start = 0;
  let end = newestFirst.length;
  if (page.startingAfter) {
    const i = newestFirst.findIndex((o) => o.id === page.startingAfter);
    if (i === -1) throw invalidRequest(`No such object: '${page.startingAfter}'`, { param: 'starting_after', code: 'resource_missing' });
    start = i + 1;
  }
  if (page.endingBefore) {
    const i = newestFirst.findIndex((o) => o.id === page.endingBefore);
    if (i === -1) throw invalidRequest(`No such object: '${page.endingBefore}'`, { param: 'ending_before', code: 'resource_missing' });
    end = i;
    start = Math.max(start, end - page.limit);
  }
  const data = newestFirst.slice(start, Math.min(end, start + page.limit));
  return { object: 'list', data, has_more: start + data.length < end, url };
}

// Stable JSON for comparing the parameters of an idempotent retry with the original.
function canonical(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
}

interface Result {
  status: number;
  body: unknown;
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

interface FailureRule {
  failure: FakeStripeFailure;
  remaining: number;
  skip: number;
}

type Handler = (ctx: { params: string[]; query: FormObject; body: FormObject }) => Result;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: Handler;
}

const ok = (body: unknown): Result => ({ status: 200, body });

/**
 * Usage: `const fake = new FakeStripeServer(); const { port } = await fake.start();` then
 * `new Stripe('sk_test_x', { host: '127.0.0.1', port, protocol: 'http' })`.
 * Emits `request` (with the log entry) before each request is handled.
 */
export class FakeStripeServer extends EventEmitter {
  /** Every API request received, in arrival order. */
  readonly requests: FakeStripeRequest[] = [];

  private readonly options: FakeStripeServerOptions;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly routes: Route[];
  private listeningPort: number | undefined;
  private downMode: 'refuse' | 'reset' | undefined;
  private failures: FailureRule[] = [];

  private customerStore = new Map<string, FakeStripeCustomer>();
  private itemStore = new Map<string, FakeStripeInvoiceItem>();
  private invoiceStore = new Map<string, StoredInvoice>();
  private idempotency = new Map<string, StoredResponse>();

  constructor(options: FakeStripeServerOptions = {}) {
    super();
    this.options = options;
    this.server = createServer((req, res) => {
      // A bug in the fake itself answers 500 (and shows its message) instead of hanging the test.
      this.handle(req, res).catch((err: unknown) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: `FakeStripeServer bug: ${(err as Error).stack ?? String(err)}` } }));
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (socket: Socket) => {
      if (this.downMode === 'reset') {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.routes = [
      { method: 'POST', pattern: /^\/v1\/customers$/, handler: ({ body }) => this.createCustomer(body) },
      { method: 'GET', pattern: /^\/v1\/customers$/, handler: ({ query }) => this.listCustomers(query) },
      { method: 'GET', pattern: /^\/v1\/customers\/([^/]+)$/, handler: ({ params, query }) => this.retrieveCustomer(params[0], query) },
      { method: 'POST', pattern: /^\/v1\/customers\/([^/]+)$/, handler: ({ params, body }) => this.updateCustomer(params[0], body) },
      { method: 'POST', pattern: /^\/v1\/invoiceitems$/, handler: ({ body }) => this.createInvoiceItem(body) },
      { method: 'GET', pattern: /^\/v1\/invoiceitems$/, handler: ({ query }) => this.listInvoiceItems(query) },
      { method: 'GET', pattern: /^\/v1\/invoiceitems\/([^/]+)$/, handler: ({ params, query }) => this.retrieveInvoiceItem(params[0], query) },
      { method: 'POST', pattern: /^\/v1\/invoices$/, handler: ({ body }) => this.createInvoice(body) },
      { method: 'GET', pattern: /^\/v1\/invoices$/, handler: ({ query }) => this.listInvoices(query) },
      { method: 'GET', pattern: /^\/v1\/invoices\/([^/]+)$/, handler: ({ params, query }) => this.retrieveInvoice(params[0], query) },
      { method: 'GET', pattern: /^\/v1\/invoices\/([^/]+)\/lines$/, handler: ({ params, query }) => this.listInvoiceLines(params[0], query) },
      { method: 'POST', pattern: /^\/v1\/invoices\/([^/]+)\/finalize$/, handler: ({ params, body }) => this.finalizeInvoice(params[0], body) },
      { method: 'POST', pattern: /^\/v1\/invoices\/([^/]+)\/send$/, handler: ({ params, body }) => this.sendInvoice(params[0], body) },
      { method: 'POST', pattern: /^\/v1\/invoices\/([^/]+)\/void$/, handler: ({ params, body }) => this.voidInvoice(params[0], body) },
      { method: 'POST', pattern: /^\/v1\/invoices\/([^/]+)\/pay$/, handler: ({ params, body }) => this.payInvoice(params[0], body) },
    ];
  }

  // ----- lifecycle -----

  async start(): Promise<{ port: number; url: string }> {
    await this.listen(this.options.port ?? 0);
    return { port: this.port, url: this.url };
  }

  async stop(): Promise<void> {
    this.destroySockets();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get port(): number {
    if (this.listeningPort === undefined) throw new Error('FakeStripeServer is not started');
    return this.listeningPort;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** The `host`/`port`/`protocol` options that point a Stripe client at this server. */
  clientConfig(): { host: string; port: number; protocol: 'http' } {
    return { host: this.host, port: this.port, protocol: 'http' };
  }

  /**
   * Simulates Stripe being unreachable. `refuse` (default) closes the listening socket, so new
   * connections get ECONNREFUSED; `reset` keeps listening but destroys every connection. Open
   * connections are destroyed in both modes. `setDown(false)` listens again on the same port.
   */
  async setDown(down: boolean, mode: 'refuse' | 'reset' = 'refuse'): Promise<void> {
    if (down) {
      this.downMode = mode;
      this.destroySockets();
      if (mode === 'refuse' && this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
      return;
    }
    const wasRefusing = this.downMode === 'refuse';
    this.downMode = undefined;
    if (wasRefusing && !this.server.listening && this.listeningPort !== undefined) await this.listen(this.listeningPort);
  }

  get isDown(): boolean {
    return this.downMode !== undefined;
  }

  /** Makes the next `n` requests (matching `failure.method`/`failure.path`, if given) fail. */
  failNext(n: number, failure: FakeStripeFailure = {}): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('failNext: n must be a positive integer');
    this.failures.push({ failure, remaining: n, skip: failure.skip ?? 0 });
  }

  /** Forgets stored idempotent results, as Stripe does for keys older than 24 hours. */
  expireIdempotencyKeys(): void {
    this.idempotency.clear();
  }

  /** Clears objects, idempotent results, pending failures and the request log; comes back up. */
  async reset(): Promise<void> {
    await this.setDown(false);
    this.customerStore.clear();
    this.itemStore.clear();
    this.invoiceStore.clear();
    this.idempotency.clear();
    this.failures = [];
    this.requests.length = 0;
  }

  // ----- inspection (copies, so tests cannot mutate the store) -----

  get customers(): FakeStripeCustomer[] {
    return [...this.customerStore.values()].map(clone);
  }

  get invoiceItems(): FakeStripeInvoiceItem[] {
    return [...this.itemStore.values()].map(clone);
  }

  get invoices(): FakeStripeInvoice[] {
    return [...this.invoiceStore.values()].map((inv) => this.renderInvoice(inv));
  }

  // ----- webhooks -----

  /** POSTs a Stripe-shaped, signed event to `targetUrl`, the way Stripe delivers webhooks. */
  async sendWebhook<T>(targetUrl: string, eventType: string, object: T, options: SendWebhookOptions): Promise<SentWebhook<T>> {
    const event = buildStripeEvent(eventType, object, {
      apiVersion: this.options.apiVersion,
      previousAttributes: options.previousAttributes,
    });
    // Stripe sends pretty-printed JSON; the signature covers these exact bytes.
    const payload = JSON.stringify(event, null, 2);
    const timestamp = options.timestamp ?? nowSeconds();
    const signatureHeader =
      options.signature === 'bad' ? badStripeSignatureHeader(payload, timestamp) : stripeSignatureHeader(payload, options.secret, timestamp);
    const target = new URL(targetUrl);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = send(
        target,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': Buffer.byteLength(payload),
            'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'Stripe-Signature': signatureHeader,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    return { status, responseBody: body, event, payload, signatureHeader };
  }

  // ----- HTTP plumbing -----

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, this.host, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        if (address && typeof address === 'object') this.listeningPort = address.port;
        resolve();
      });
    });
  }

  private destroySockets(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.server.closeAllConnections();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      req.socket.destroy();
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://fake-stripe.invalid');
    let parsed: { query: FormObject; body: FormObject } | FormParseError;
    try {
      parsed = { query: parseStripeForm(url.search.slice(1)), body: method === 'POST' ? parseStripeForm(raw) : {} };
    } catch (err) {
      if (!(err instanceof FormParseError)) throw err;
      parsed = err;
    }
    const entry: FakeStripeRequest = {
      method,
      path: url.pathname,
      query: parsed instanceof FormParseError ? {} : parsed.query,
      idempotencyKey: headerValue(req, 'idempotency-key'),
      body: parsed instanceof FormParseError ? {} : parsed.body,
      status: 0,
      replayed: false,
      injected: undefined,
    };
    this.requests.push(entry);
    this.emit('request', entry);
    // A listener may have taken the server down: the request never reaches "Stripe".
    if (this.downMode !== undefined) {
      req.socket.destroy();
      return;
    }

    const failure = this.takeFailure(method, url.pathname);
    entry.injected = failure ? (failure.mode ?? 'error') : undefined;
    if (failure && entry.injected === 'drop') {
      req.socket.destroy();
      return;
    }
    if (failure && entry.injected === 'hang') return;
    if (failure && entry.injected === 'error') {
      const status = failure.status ?? 500;
      const code = failure.code ?? (status === 429 ? 'rate_limit' : undefined);
      const error: StripeErrorBody = {
        type: failure.type ?? (status === 429 ? 'invalid_request_error' : 'api_error'),
        message: failure.message ?? (status === 429 ? 'Too many requests hit the API too quickly.' : 'An unknown error occurred'),
        ...(code ? { code } : {}),
      };
      const headers: Record<string, string> = {};
      if (failure.shouldRetry !== undefined) headers['Stripe-Should-Retry'] = String(failure.shouldRetry);
      this.respond(req, res, entry, { status, body: JSON.stringify({ error }, null, 2), headers }, randomId('req'));
      return;
    }

    const requestId = randomId('req');
    const answer = this.execute(req, method, url.pathname, raw, parsed, entry, requestId);
    if (entry.injected === 'lose-response') {
      req.socket.destroy();
      return;
    }
    this.respond(req, res, entry, answer, requestId);
  }

  // Authentication, idempotency and routing; returns the serialized answer.
  private execute(
    req: IncomingMessage,
    method: string,
    path: string,
    raw: string,
    parsed: { query: FormObject; body: FormObject } | FormParseError,
    entry: FakeStripeRequest,
    requestId: string,
  ): Answer {
    const asJson = (status: number, body: unknown): Answer => ({ status, body: JSON.stringify(body, null, 2), headers: {} });
    const apiKey = this.authenticate(req);
    if (!apiKey.ok) return asJson(401, { error: apiKey.error });
    if (parsed instanceof FormParseError) {
      return asJson(400, { error: { type: 'invalid_request_error', message: `Invalid request: ${parsed.message}` } });
    }
    const { query, body } = parsed;
    const contentType = headerValue(req, 'content-type') ?? '';
    if (method === 'POST' && raw !== '' && !contentType.startsWith('application/x-www-form-urlencoded')) {
      return asJson(400, {
        error: { type: 'invalid_request_error', message: `Invalid request: unsupported Content-Type ${contentType}. Use application/x-www-form-urlencoded.` },
      });
    }

    // Stripe only honours idempotency keys on POST; GET and DELETE are idempotent already.
    const key = method === 'POST' ? entry.idempotencyKey : undefined;
    const scopedKey = key === undefined ? undefined : `${apiKey.key}\u0000${key}`;
    const fingerprint = `${method} ${path} ${canonical(body)}`;
    if (key !== undefined && scopedKey !== undefined) {
      if (key.length > 255) {
        return asJson(400, { error: { type: 'invalid_request_error', message: 'Idempotency-Key must be at most 255 characters long.' } });
      }
      const stored = this.idempotency.get(scopedKey);
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          return asJson(400, {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          });
        }
        entry.replayed = true;
        return { status: stored.status, body: stored.body, headers: { 'Idempotent-Replayed': 'true', 'Original-Request': stored.requestId } };
      }
    }

    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) {
      return asJson(404, {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        },
      });
    }
    let result: Result;
    try {
      const params = (path.match(route.pattern) ?? []).slice(1).map((p) => decodeURIComponent(p));
      result = route.handler({ params, query, body });
    } catch (err) {
      if (err instanceof ApiFailure) return asJson(err.status, { error: err.body });
      throw err;
    }
    const serialized = JSON.stringify(result.body, null, 2);
    // Stripe saves a result once the endpoint has begun executing; here every rejection happens
    // during validation, so only successes are saved and a rejected request can be retried.
    if (scopedKey !== undefined && result.status < 400) {
      this.idempotency.set(scopedKey, { fingerprint, status: result.status, body: serialized, requestId });
    }
    return { status: result.status, body: serialized, headers: {} };
  }

  private authenticate(req: IncomingMessage): { ok: true; key: string } | { ok: false; error: StripeErrorBody } {
    const header = headerValue(req, 'authorization');
    let key: string | undefined;
    if (header?.startsWith('Bearer ')) key = header.slice('Bearer '.length).trim();
    else if (header?.startsWith('Basic ')) key = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8').split(':')[0];
    if (!key) {
      return {
        ok: false,
        error: {
          type: 'invalid_request_error',
          message:
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        },
      };
    }
    const accepted = this.options.apiKey !== undefined ? key === this.options.apiKey : /^(sk|rk)_test_\w+$/.test(key);
    if (!accepted) {
      const masked = key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '****';
      return { ok: false, error: { type: 'invalid_request_error', code: 'api_key_invalid', message: `Invalid API Key provided: ${masked}` } };
    }
    return { ok: true, key };
  }

  private takeFailure(method: string, path: string): FakeStripeFailure | undefined {
    for (const rule of this.failures) {
      const f = rule.failure;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path !== undefined && (typeof f.path === 'string' ? f.path !== path : !f.path.test(path))) continue;
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      rule.remaining--;
      if (rule.remaining === 0) this.failures = this.failures.filter((r) => r !== rule);
      return f;
    }
    return undefined;
  }

  private respond(req: IncomingMessage, res: ServerResponse, entry: FakeStripeRequest, answer: Answer, requestId: string): void {
    entry.status = answer.status;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(answer.body),
      'Request-Id': requestId,
      'Stripe-Version': headerValue(req, 'stripe-version') ?? this.options.apiVersion ?? FAKE_STRIPE_API_VERSION,
      ...answer.headers,
    };
    if (entry.idempotencyKey !== undefined && entry.method === 'POST') headers['Idempotency-Key'] = entry.idempotencyKey;
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  // ----- customers -----

  private createCustomer(body: FormObject): Result {
    rejectUnknown(body, ['name', 'email', 'description', 'phone', 'address', 'metadata', 'preferred_locales', 'tax_exempt', 'expand']);
    const email = readString(body, 'email');
    if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) throw invalidRequest('Invalid email address: ' + email, { param: 'email', code: 'email_invalid' });
    const customer: FakeStripeCustomer = {
      id: randomId('cus'),
      object: 'customer',
      address: readAddress(body, null) ?? null,
      balance: 0,
      created: nowSeconds(),
      currency: null,
      delinquent: false,
      description: readString(body, 'description') || null,
      email: email || null,
      invoice_prefix: randomBytes(4).toString('hex').toUpperCase(),
      livemode: false,
      metadata: applyMetadata({}, readMetadata(body)),
      name: readString(body, 'name') || null,
      next_invoice_sequence: 1,
      phone: readString(body, 'phone') || null,
      preferred_locales: readLocales(body),
      tax_exempt: readEnum(body, 'tax_exempt', ['none', 'exempt', 'reverse'] as const) ?? 'none',
    };
    this.customerStore.set(customer.id, customer);
    return ok(clone(customer));
  }

  private listCustomers(query: FormObject): Result {
    const page = readListParams(query, ['email']);
    const email = readString(query, 'email');
    const all = [...this.customerStore.values()].reverse().filter((c) => email === undefined || c.email === email);
    return ok(clone(paginate(all, '/v1/customers', page)));
  }

  private retrieveCustomer(id: string, query: FormObject): Result {
    rejectUnknown(query, ['expand']);
    return ok(clone(this.customerOrThrow(id, 'id', 404)));
  }

  private updateCustomer(id: string, body: FormObject): Result {
    rejectUnknown(body, ['name', 'email', 'description', 'phone', 'address', 'metadata', 'preferred_locales', 'tax_exempt', 'expand']);
    const customer = this.customerOrThrow(id, 'id', 404);
    const email = readString(body, 'email');
    if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) throw invalidRequest('Invalid email address: ' + email, { param: 'email', code: 'email_invalid' });
    const address = readAddress(body, customer.address);
    const metadata = applyMetadata(customer.metadata, readMetadata(body));
    const setNullable = (field: 'name' | 'email' | 'description' | 'phone', value: string | undefined): void => {
      if (value !== undefined) customer[field] = value === '' ? null : value;
    };
    setNullable('name', readString(body, 'name'));
    setNullable('email', email);
    setNullable('description', readString(body, 'description'));
    setNullable('phone', readString(body, 'phone'));
    if (address !== undefined) customer.address = address;
    if (body.preferred_locales !== undefined) customer.preferred_locales = readLocales(body);
    customer.tax_exempt = readEnum(body, 'tax_exempt', ['none', 'exempt', 'reverse'] as const) ?? customer.tax_exempt;
    customer.metadata = metadata;
    return ok(clone(customer));
  }

  private customerOrThrow(id: string, param: string, status: 400 | 404): FakeStripeCustomer {
    const customer = this.customerStore.get(id);
    if (!customer) throw noSuch('customer', id, param, status);
    return customer;
  }

  // ----- invoice items -----

  private createInvoiceItem(body: FormObject): Result {
    rejectUnknown(body, ['customer', 'amount', 'currency', 'description', 'discountable', 'invoice', 'metadata', 'period', 'expand']);
    const customerId = readString(body, 'customer', true) as string;
    const amount = readInteger(body, 'amount');
    if (amount === undefined) throw missingParam('amount');
    let currency = readCurrency(body);
    const invoiceId = readString(body, 'invoice');
    const customer = this.customerOrThrow(customerId, 'customer', 400);
    let invoice: StoredInvoice | undefined;
    if (invoiceId !== undefined) {
      invoice = this.invoiceStore.get(invoiceId);
      if (!invoice) throw noSuch('invoice', invoiceId, 'invoice', 400);
      if (invoice.customer !== customerId) throw invalidRequest(`The invoice ${invoiceId} does not belong to the customer ${customerId}.`, { param: 'invoice' });
      if (invoice.status !== 'draft') throw invalidRequest('You can only add invoice items to draft invoices.', { param: 'invoice', code: 'invoice_not_editable' });
      if (currency !== undefined && currency !== invoice.currency) {
        throw invalidRequest(`The currency of the invoice item (${currency}) must match the currency of the invoice (${invoice.currency}).`, { param: 'currency' });
      }
      currency = invoice.currency;
    }
    currency = currency ?? customer.currency ?? undefined;
    if (currency === undefined) throw missingParam('currency');
    const now = nowSeconds();
    const item: FakeStripeInvoiceItem = {
      id: randomId('ii'),
      object: 'invoiceitem',
      amount,
      currency,
      customer: customerId,
      date: now,
      description: readString(body, 'description') || null,
      discountable: readBoolean(body, 'discountable') ?? amount >= 0,
      invoice: invoice ? invoice.id : null,
      livemode: false,
      metadata: applyMetadata({}, readMetadata(body)),
      period: { start: now, end: now },
      proration: false,
      quantity: 1,
      quantity_decimal: '1',
    };
    customer.currency = customer.currency ?? currency;
    this.itemStore.set(item.id, item);
    return ok(clone(item));
  }

  private listInvoiceItems(query: FormObject): Result {
    const page = readListParams(query, ['customer', 'invoice', 'pending']);
    const customer = readString(query, 'customer');
    const invoice = readString(query, 'invoice');
    const pending = readBoolean(query, 'pending');
    const all = [...this.itemStore.values()]
      .reverse()
      .filter((i) => customer === undefined || i.customer === customer)
      .filter((i) => invoice === undefined || i.invoice === invoice)
      .filter((i) => pending === undefined || (i.invoice === null) === pending);
    return ok(clone(paginate(all, '/v1/invoiceitems', page)));
  }

  private retrieveInvoiceItem(id: string, query: FormObject): Result {
    rejectUnknown(query, ['expand']);
    const item = this.itemStore.get(id);
    if (!item) throw noSuch('invoiceitem', id, 'id', 404);
    return ok(clone(item));
  }

  // ----- invoices -----

  private createInvoice(body: FormObject): Result {
    rejectUnknown(body, [
      'customer',
      'collection_method',
      'days_until_due',
      'due_date',
      'auto_advance',
      'pending_invoice_items_behavior',
      'metadata',
      'currency',
      'description',
      'footer',
      'number',
      'expand',
    ]);
    const customerId = readString(body, 'customer', true) as string;
    const collection = readEnum(body, 'collection_method', ['charge_automatically', 'send_invoice'] as const) ?? 'charge_automatically';
    const daysUntilDue = readInteger(body, 'days_until_due');
    const dueDate = readInteger(body, 'due_date');
    const behavior = readEnum(body, 'pending_invoice_items_behavior', ['include', 'exclude'] as const) ?? 'exclude';
    const number = readString(body, 'number');
    const customer = this.customerOrThrow(customerId, 'customer', 400);
    if (collection === 'send_invoice') {
      if (daysUntilDue === undefined && dueDate === undefined) {
        throw invalidRequest("Missing required param: days_until_due. When collection_method is 'send_invoice', you must specify either 'due_date' or 'days_until_due'.", {
          param: 'days_until_due',
          code: 'parameter_missing',
        });
      }
      if (daysUntilDue !== undefined && dueDate !== undefined) {
        throw invalidRequest('You may only specify one of these parameters: days_until_due, due_date.', { param: 'due_date' });
      }
      if (daysUntilDue !== undefined && daysUntilDue < 0) throw invalidRequest('days_until_due must be at least 0.', { param: 'days_until_due' });
      if (dueDate !== undefined && dueDate <= nowSeconds()) {
        throw invalidRequest('Invalid timestamp: must be an integer Unix timestamp in the future.', { param: 'due_date' });
      }
    } else if (daysUntilDue !== undefined || dueDate !== undefined) {
      throw invalidRequest("You can only set due dates on invoices with collection_method 'send_invoice'.", {
        param: dueDate !== undefined ? 'due_date' : 'days_until_due',
      });
    }
    if (number && [...this.invoiceStore.values()].some((i) => i.number === number)) {
      throw invalidRequest(`Invoice number '${number}' is already in use; invoice numbers must be unique.`, { param: 'number', code: 'invoice_number_taken' });
    }
    const currency = readCurrency(body) ?? customer.currency ?? 'usd';
    const now = nowSeconds();
    const invoice: StoredInvoice = {
      id: randomId('in'),
      object: 'invoice',
      account_country: 'JP',
      account_name: this.options.accountName ?? 'Kanshi (test)',
      amount_paid: 0,
      attempt_count: 0,
      attempted: false,
      auto_advance: readBoolean(body, 'auto_advance') ?? false,
      collection_method: collection,
      created: now,
      currency,
      customer: customerId,
      customer_address: customer.address ? { ...customer.address } : null,
      customer_email: customer.email,
      customer_name: customer.name,
      description: readString(body, 'description') || null,
      due_date: dueDate ?? (daysUntilDue !== undefined ? now + daysUntilDue * 86_400 : null),
      effective_at: null,
      ending_balance: null,
      footer: readString(body, 'footer') || null,
      hosted_invoice_url: null,
      invoice_pdf: null,
      livemode: false,
      metadata: applyMetadata({}, readMetadata(body)),
      number: number || null,
      period_end: now,
      period_start: now,
      starting_balance: 0,
      status: 'draft',
      status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
      daysUntilDue: daysUntilDue ?? null,
      frozenTotal: null,
    };
    this.invoiceStore.set(invoice.id, invoice);
    customer.currency = customer.currency ?? currency;
    if (behavior === 'include') {
      for (const item of this.itemStore.values()) {
        if (item.invoice === null && item.customer === customerId && item.currency === currency) item.invoice = invoice.id;
      }
    }
    return ok(this.renderInvoice(invoice));
  }

  private listInvoices(query: FormObject): Result {
    const page = readListParams(query, ['customer', 'status', 'collection_method']);
    const customer = readString(query, 'customer');
    const status = readEnum(query, 'status', ['draft', 'open', 'paid', 'uncollectible', 'void'] as const);
    const collection = readEnum(query, 'collection_method', ['charge_automatically', 'send_invoice'] as const);
    const all = [...this.invoiceStore.values()]
      .reverse()
      .filter((i) => customer === undefined || i.customer === customer)
      .filter((i) => status === undefined || i.status === status)
      .filter((i) => collection === undefined || i.collection_method === collection);
    const list = paginate(all, '/v1/invoices', page);
    return ok({ ...list, data: list.data.map((i) => this.renderInvoice(i)) });
  }

  private retrieveInvoice(id: string, query: FormObject): Result {
    rejectUnknown(query, ['expand']);
    return ok(this.renderInvoice(this.invoiceOrThrow(id)));
  }

  private listInvoiceLines(id: string, query: FormObject): Result {
    const page = readListParams(query, []);
    const invoice = this.invoiceOrThrow(id);
    // Lines are listed in the order the items were added.
    return ok(clone(paginate(this.linesOf(invoice), `/v1/invoices/${id}/lines`, page)));
  }

  private finalizeInvoice(id: string, body: FormObject): Result {
    rejectUnknown(body, ['auto_advance', 'expand']);
    const invoice = this.invoiceOrThrow(id);
    if (invoice.status !== 'draft') {
      throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", { code: 'invoice_unexpected_state' });
    }
    const autoAdvance = readBoolean(body, 'auto_advance');
    if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
    this.finalize(invoice);
    return ok(this.renderInvoice(invoice));
  }

  private sendInvoice(id: string, body: FormObject): Result {
    rejectUnknown(body, ['expand']);
    const invoice = this.invoiceOrThrow(id);
    if (invoice.collection_method !== 'send_invoice') {
      throw invalidRequest("You can only manually send an invoice if its collection method is 'send_invoice'.", { code: 'invoice_unexpected_state' });
    }
    // Sending a draft finalizes it first.
    if (invoice.status === 'draft') this.finalize(invoice);
    if (invoice.status === 'void' || invoice.status === 'uncollectible') {
      throw invalidRequest(`You cannot send an invoice whose status is ${invoice.status}.`, { code: 'invoice_unexpected_state' });
    }
    return ok(this.renderInvoice(invoice));
  }

  private voidInvoice(id: string, body: FormObject): Result {
    rejectUnknown(body, ['expand']);
    const invoice = this.invoiceOrThrow(id);
    if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
      throw invalidRequest(`You can only void invoices that are open or uncollectible; this invoice is ${invoice.status}.`, { code: 'invoice_unexpected_state' });
    }
    invoice.status = 'void';
    invoice.status_transitions.voided_at = nowSeconds();
    return ok(this.renderInvoice(invoice));
  }

  private payInvoice(id: string, body: FormObject): Result {
    rejectUnknown(body, ['paid_out_of_band', 'expand']);
    readBoolean(body, 'paid_out_of_band');
    const invoice = this.invoiceOrThrow(id);
    if (invoice.status === 'draft') this.finalize(invoice);
    if (invoice.status === 'paid') throw invalidRequest('Invoice is already paid', { code: 'invoice_already_paid' });
    if (invoice.status === 'void') throw invalidRequest('You cannot pay a void invoice.', { code: 'invoice_unexpected_state' });
    invoice.amount_paid = Math.max(invoice.frozenTotal ?? 0, 0);
    invoice.status = 'paid';
    invoice.status_transitions.paid_at = nowSeconds();
    return ok(this.renderInvoice(invoice));
  }

  private finalize(invoice: StoredInvoice): void {
    const now = nowSeconds();
    const customer = this.customerStore.get(invoice.customer);
    if (invoice.number === null && customer) {
      invoice.number = `${customer.invoice_prefix}-${String(customer.next_invoice_sequence).padStart(4, '0')}`;
      customer.next_invoice_sequence++;
    }
    invoice.frozenTotal = this.itemsOf(invoice).reduce((sum, i) => sum + i.amount, 0);
    invoice.status_transitions.finalized_at = now;
    invoice.effective_at = now;
    invoice.ending_balance = 0;
    if (invoice.daysUntilDue !== null) invoice.due_date = now + invoice.daysUntilDue * 86_400;
    invoice.hosted_invoice_url = `https://invoice.stripe.com/i/acct_fake/test_${invoice.id}`;
    invoice.invoice_pdf = `https://pay.stripe.com/invoice/acct_fake/test_${invoice.id}/pdf`;
    // Stripe marks an invoice with nothing to collect as paid when it is finalized.
    invoice.status = invoice.frozenTotal <= 0 ? 'paid' : 'open';
    if (invoice.status === 'paid') invoice.status_transitions.paid_at = now;
  }

  private invoiceOrThrow(id: string): StoredInvoice {
    const invoice = this.invoiceStore.get(id);
    if (!invoice) throw noSuch('invoice', id, 'id', 404);
    return invoice;
  }

  private itemsOf(invoice: StoredInvoice): FakeStripeInvoiceItem[] {
    return [...this.itemStore.values()].filter((i) => i.invoice === invoice.id);
  }

  private linesOf(invoice: StoredInvoice): FakeStripeLineItem[] {
    return this.itemsOf(invoice).map((item) => ({
      id: `il_${item.id.slice(3)}`,
      object: 'line_item',
      amount: item.amount,
      currency: item.currency,
      description: item.description,
      invoice: invoice.id,
      livemode: false,
      metadata: { ...item.metadata },
      parent: { type: 'invoice_item_details', invoice_item_details: { invoice_item: item.id, proration: false, subscription: null } },
      period: { ...item.period },
      quantity: item.quantity,
      quantity_decimal: item.quantity_decimal,
      subtotal: item.amount,
    }));
  }

  private renderInvoice(invoice: StoredInvoice): FakeStripeInvoice {
    const { daysUntilDue: _days, frozenTotal, ...fields } = invoice;
    const lines = this.linesOf(invoice);
    const total = frozenTotal ?? lines.reduce((sum, l) => sum + l.amount, 0);
    // A negative total is credited to the customer's balance: nothing is due.
    const amountDue = Math.max(total, 0);
    const open = invoice.status === 'draft' || invoice.status === 'open' || invoice.status === 'uncollectible';
    return clone({
      ...fields,
      amount_due: amountDue,
      amount_remaining: open ? amountDue - invoice.amount_paid : 0,
      lines: { object: 'list', data: lines.slice(0, 10), has_more: lines.length > 10, url: `/v1/invoices/${invoice.id}/lines` },
      subtotal: total,
      subtotal_excluding_tax: total,
      total,
      total_excluding_tax: total,
    });
  }
}

function readLocales(body: FormObject): string[] {
  const raw = body.preferred_locales;
  if (raw === undefined || raw === '') return [];
  if (!Array.isArray(raw) || raw.some((l) => typeof l !== 'string')) throw invalidRequest('Invalid array', { param: 'preferred_locales' });
  return raw as string[];
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
