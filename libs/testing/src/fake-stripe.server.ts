// A local HTTP server that speaks the slice of Stripe's v1 REST API Kanshi uses (customers,
// invoice items, invoices, webhooks), so the real `stripe` SDK can be exercised over real HTTP in
// tests. It follows Stripe's documented wire format: form-encoded bodies with bracketed keys,
// bearer API keys, JSON objects with `id` and `object`, `{ error: { type, code, message, param } }`
// errors, and idempotent replay keyed by the `Idempotency-Key` header. Built on the vendor-server
// kit (./vendor-server); each Stripe resource is a file in ./fake-stripe.
import { EventEmitter } from 'node:events';
import { customerRoutes } from './fake-stripe/customers';
import { invoiceItemRoutes } from './fake-stripe/invoice-items';
import { invoiceRoutes, renderInvoice } from './fake-stripe/invoices';
import { StripeErrorBody } from './fake-stripe/stripe-errors';
import { FormObject } from './fake-stripe/stripe-form';
import { FakeStripeCustomer, FakeStripeInvoice, FakeStripeInvoiceItem } from './fake-stripe/stripe-objects';
import { clone, randomId } from './fake-stripe/stripe-params';
import { stripeProtocol } from './fake-stripe/stripe-protocol';
import { StripeStore } from './fake-stripe/stripe-store';
import { sendStripeWebhook, SendWebhookOptions, SentWebhook } from './fake-stripe/webhooks';
import { Failure } from './vendor-server/failures';
import { VendorRequest, VendorServer } from './vendor-server/vendor.server';

export { encodeStripeForm, FormParseError, parseStripeForm } from './fake-stripe/stripe-form';
export type { FormObject, FormValue } from './fake-stripe/stripe-form';
export type {
  FakeStripeAddress,
  FakeStripeCustomer,
  FakeStripeEvent,
  FakeStripeInvoice,
  FakeStripeInvoiceItem,
  FakeStripeInvoiceStatus,
  FakeStripeLineItem,
  FakeStripeList,
  StripeMetadata,
} from './fake-stripe/stripe-objects';
export type { StripeErrorBody } from './fake-stripe/stripe-errors';
export { badStripeSignatureHeader, buildStripeEvent, FAKE_STRIPE_API_VERSION, stripeSignatureHeader } from './fake-stripe/webhooks';
export type { SendWebhookOptions, SentWebhook } from './fake-stripe/webhooks';

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
  /** Only requests whose path equals this string (or route pattern) or matches this RegExp count. */
  path?: string | RegExp;
  /** Let this many matching requests through before failing. */
  skip?: number;
}

/** A logged request; Stripe's body is always an object (`{}` for GET or an unreadable body). */
export type FakeStripeRequest = Omit<VendorRequest<FormObject, FormObject>, 'body' | 'injected'> & {
  body: FormObject;
  injected: FakeStripeFailureMode | undefined;
};

export interface FakeStripeServerOptions {
  /** When set, only this exact secret key is accepted; otherwise any `sk_test_`/`rk_test_` key. */
  apiKey?: string;
  host?: string;
  port?: number;
  apiVersion?: string;
  accountName?: string;
}

/**
 * Usage: `const fake = new FakeStripeServer(); const { port } = await fake.start();` then
 * `new Stripe('sk_test_x', { host: '127.0.0.1', port, protocol: 'http' })`.
 * Emits `request` (with the log entry) before each request is handled.
 */
export class FakeStripeServer extends EventEmitter {
  private readonly server: VendorServer<FormObject, FormObject>;
  private readonly store: StripeStore;

  constructor(private readonly options: FakeStripeServerOptions = {}) {
    super();
    this.server = new VendorServer(stripeProtocol(options));
    this.store = new StripeStore(options.accountName ?? 'Kanshi (test)');
    for (const route of [...customerRoutes(this.store), ...invoiceItemRoutes(this.store), ...invoiceRoutes(this.store)]) {
      this.server.route(route.method, route.path, (req) => ({
        json: route.handler({ params: req.params, query: req.query, body: req.body ?? {} }),
        // Saved with the answer, so that a replay can name it as Original-Request.
        headers: { 'Request-Id': randomId('req') },
      }));
    }
    // Synchronous, so that a listener can take the server down before the request is handled.
    this.server.on('request', (entry: FakeStripeRequest) => this.emit('request', entry));
  }

  /** Every API request received, in arrival order (tests may empty it). */
  get requests(): FakeStripeRequest[] {
    // Every Stripe request has an object body (see stripeProtocol) and only Stripe failure modes.
    return this.server.requests as FakeStripeRequest[];
  }

  // ----- lifecycle -----

  start(): Promise<{ port: number; url: string }> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get port(): number {
    return this.server.port;
  }

  get host(): string {
    return this.server.host;
  }

  get url(): string {
    return this.server.url;
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
  setDown(down: boolean, mode: 'refuse' | 'reset' = 'refuse'): Promise<void> {
    return this.server.setDown(down, mode);
  }

  get isDown(): boolean {
    return this.server.isDown;
  }

  /** Makes the next `n` requests (matching `failure.method`/`failure.path`, if given) fail. */
  failNext(n: number, failure: FakeStripeFailure = {}): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('failNext: n must be a positive integer');
    this.server.failNext(n, stripeFailure(failure), { method: failure.method, path: failure.path, skip: failure.skip });
  }

  /** Forgets stored idempotent results, as Stripe does for keys older than 24 hours. */
  expireIdempotencyKeys(): void {
    this.server.expireIdempotencyKeys();
  }

  /** Clears objects, idempotent results, pending failures and the request log; comes back up. */
  async reset(): Promise<void> {
    await this.server.reset();
    this.store.clear();
  }

  // ----- inspection (copies, so tests cannot mutate the store) -----

  get customers(): FakeStripeCustomer[] {
    return [...this.store.customers.values()].map(clone);
  }

  get invoiceItems(): FakeStripeInvoiceItem[] {
    return [...this.store.items.values()].map(clone);
  }

  get invoices(): FakeStripeInvoice[] {
    return [...this.store.invoices.values()].map((inv) => renderInvoice(this.store, inv));
  }

  // ----- webhooks -----

  /** POSTs a Stripe-shaped, signed event to `targetUrl`, the way Stripe delivers webhooks. */
  sendWebhook<T>(targetUrl: string, eventType: string, object: T, options: SendWebhookOptions): Promise<SentWebhook<T>> {
    return sendStripeWebhook(targetUrl, eventType, object, { ...options, apiVersion: this.options.apiVersion });
  }
}

function stripeFailure(failure: FakeStripeFailure): Failure {
  const mode = failure.mode ?? 'error';
  if (mode !== 'error') return { kind: mode };
  const status = failure.status ?? 500;
  const code = failure.code ?? (status === 429 ? 'rate_limit' : undefined);
  const error: StripeErrorBody = {
    type: failure.type ?? (status === 429 ? 'invalid_request_error' : 'api_error'),
    message: failure.message ?? (status === 429 ? 'Too many requests hit the API too quickly.' : 'An unknown error occurred'),
    ...(code ? { code } : {}),
  };
  const headers: Record<string, string> = {};
  if (failure.shouldRetry !== undefined) headers['Stripe-Should-Retry'] = String(failure.shouldRetry);
  return { kind: 'error', status, json: { error }, headers };
}
