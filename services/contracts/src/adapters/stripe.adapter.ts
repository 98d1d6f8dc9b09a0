// The contracts service's only door to Stripe: customers, invoices (JPY, send_invoice) and
// webhook verification, on top of the official SDK. Every write carries an idempotency key
// derived from Kanshi ids, and every failure is classified as transient (retry later) or
// permanent (a human must look), so callers can keep an invoice "pending sync" safely.
import { createHash } from 'node:crypto';
import Stripe from 'stripe';

export interface StripeAdapterOptions {
  apiKey: string;
  webhookSecret: string;
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** Per-request timeout; 20 s by default. */
  timeoutMs?: number;
  /** Retries done by the SDK inside one call (same idempotency key); 2 by default. */
  maxNetworkRetries?: number;
  /** Oldest webhook signature accepted, in seconds; 300 by default, as Stripe recommends. */
  webhookToleranceSec?: number;
}

export interface StripeAddressInput {
  line1: string;
  line2?: string;
  city?: string;
  /** Prefecture for Japanese addresses. */
  state?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2, e.g. `JP`. */
  country: string;
}

export interface UpsertStripeCustomerInput {
  kanshiCustomerId: string;
  stripeCustomerId?: string | null;
  name: string;
  email: string;
  address?: StripeAddressInput;
  metadata?: Record<string, string>;
}

export interface StripeInvoiceLineInput {
  /** Stable per line of a Kanshi invoice; part of the line's idempotency key. */
  lineKey: string;
  description: string;
  /** Whole yen; negative for discounts. */
  amount: number;
}

export interface SyncStripeInvoiceInput {
  kanshiInvoiceId: string;
  invoiceNumber: string;
  stripeCustomerId: string;
  lines: StripeInvoiceLineInput[];
  /** Japanese consumption tax computed by Kanshi, whole yen; sent as its own line. */
  tax: number;
  dueDate: Date;
}

export interface SyncedStripeInvoice {
  stripeInvoiceId: string;
  status: Stripe.Invoice.Status;
}

/** Base class: every error this adapter raises on purpose. */
export class StripeAdapterError extends Error {}

/** Stripe could not be reached or answered 409/429/5xx: keep the work pending and retry later. */
export class StripeUnavailableError extends StripeAdapterError {
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;

  constructor(operation: string, cause: Stripe.errors.StripeError) {
    super(`Stripe unavailable during ${operation}: ${cause.message}`, { cause });
    this.name = 'StripeUnavailableError';
    this.statusCode = cause.statusCode;
    this.requestId = cause.requestId;
  }
}

/** Stripe refused the request (4xx): retrying the same request will not help. */
export class StripeRejectedError extends StripeAdapterError {
  readonly statusCode: number | undefined;
  /** Stripe's error type, e.g. `invalid_request_error`, `idempotency_error`. */
  readonly type: string | undefined;
  readonly code: string | undefined;
  /** The request parameter Stripe blamed, e.g. `customer`, `metadata[kanshi_invoice_id]`. */
  readonly param: string | undefined;
  readonly stripeMessage: string;
  readonly requestId: string | undefined;

  constructor(
    operation: string,
    details: { message: string; statusCode?: number; type?: string; code?: string; param?: string; requestId?: string },
    cause?: unknown,
  ) {
    super(`Stripe rejected ${operation}: ${details.message}${details.param ? ` (param: ${details.param})` : ''}`, { cause });
    this.name = 'StripeRejectedError';
    this.statusCode = details.statusCode;
    this.type = details.type;
    this.code = details.code;
    this.param = details.param;
    this.stripeMessage = details.message;
    this.requestId = details.requestId;
  }
}

/**
 * The Stripe draft for a Kanshi invoice holds lines that do not match the Kanshi invoice (an
 * item added by hand, or the Kanshi invoice changed between two attempts). The draft is left
 * unfinalized; a human must reconcile it.
 */
export class StripeInvoiceMismatchError extends StripeRejectedError {
  readonly stripeInvoiceId: string;

  constructor(kanshiInvoiceId: string, stripeInvoiceId: string, problem: string) {
    super(`invoice sync ${kanshiInvoiceId}`, { message: `draft ${stripeInvoiceId} does not match the Kanshi invoice: ${problem}`, code: 'kanshi_invoice_mismatch' });
    this.name = 'StripeInvoiceMismatchError';
    this.stripeInvoiceId = stripeInvoiceId;
  }
}

export type StripeSignatureFailure = 'missing' | 'invalid' | 'expired';

/** A webhook whose `Stripe-Signature` is missing, wrong or older than the tolerance. */
export class StripeSignatureError extends StripeAdapterError {
  readonly reason: StripeSignatureFailure;

  constructor(reason: StripeSignatureFailure, message: string, cause?: unknown) {
    super(`Stripe webhook signature ${reason}: ${message}`, { cause });
    this.name = 'StripeSignatureError';
    this.reason = reason;
  }
}

// Kanshi computes consumption tax itself, so it reaches Stripe as one more line.
export const TAX_LINE_KEY = 'consumption-tax';
const TAX_LINE_DESCRIPTION = '消費税 (consumption tax)';

// Idempotency keys travel in an HTTP header and Stripe caps them at 255 characters.
const KEY_PART = /^[\x21-\x7e]{1,100}$/;

interface PlannedLine {
  lineKey: string;
  description: string;
  amount: number;
}

export class StripeAdapter {
  private readonly stripe: Stripe;
  private readonly webhookSecret: string;
  private readonly webhookToleranceSec: number;

  constructor(options: StripeAdapterOptions) {
    if (!options.apiKey) throw new Error('StripeAdapter: apiKey is required');
    if (!options.webhookSecret?.trim()) throw new Error('StripeAdapter: webhookSecret is required');
    const config: Stripe.StripeConfig = {
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 20_000,
      telemetry: false,
      typescript: true,
      appInfo: { name: 'kanshi-contracts' },
    };
    if (options.host !== undefined) config.host = options.host;
    if (options.port !== undefined) config.port = options.port;
    if (options.protocol !== undefined) config.protocol = options.protocol;
    this.stripe = new Stripe(options.apiKey, config);
    this.webhookSecret = options.webhookSecret;
    this.webhookToleranceSec = options.webhookToleranceSec ?? 300;
  }

  /**
   * Creates the Stripe customer for a Kanshi customer, or updates it when `stripeCustomerId` is
   * known. Returns the Stripe customer id, which the caller stores.
   */
  async upsertCustomer(input: UpsertStripeCustomerInput): Promise<string> {
    assertKeyPart('kanshiCustomerId', input.kanshiCustomerId);
    const params = {
      name: input.name,
      email: input.email,
      ...(input.address ? { address: toStripeAddress(input.address) } : {}),
      metadata: { ...input.metadata, kanshi_customer_id: input.kanshiCustomerId },
    };
    if (!input.stripeCustomerId) {
      // One key per Kanshi customer: a create whose answer was lost is replayed, not repeated.
      const created = await this.call(`customer create ${input.kanshiCustomerId}`, () =>
        this.stripe.customers.create(params, { idempotencyKey: `kanshi-customer-${input.kanshiCustomerId}` }),
      );
      return created.id;
    }
    // Keyed by id + content hash, so a retry of the same change is deduplicated by Stripe. But
    // Stripe answers a reused key with the stored response without executing anything, so a
    // change A -> B -> A within the 24 h key window would get the stale answer to the first A
    // and leave B in Stripe. An update only sets fields, so when the answer is a replay it is
    // simply sent again under a fresh (SDK-generated) key.
    const stripeCustomerId = input.stripeCustomerId;
    const operation = `customer update ${input.kanshiCustomerId}`;
    let updated = await this.call(operation, () =>
      this.stripe.customers.update(stripeCustomerId, params, { idempotencyKey: `kanshi-customer-${input.kanshiCustomerId}-${contentHash(params)}` }),
    );
    if (updated.lastResponse?.headers?.['idempotent-replayed'] === 'true') {
      updated = await this.call(operation, () => this.stripe.customers.update(stripeCustomerId, params));
    }
    return updated.id;
  }

  /**
   * Mirrors a Kanshi invoice as a finalized `send_invoice` JPY invoice in Stripe.
   *
   * Order: find the invoice by `metadata.kanshi_invoice_id` (it may exist from an earlier,
   * partly failed attempt), else create it as a draft with `auto_advance: false` and
   * `pending_invoice_items_behavior: 'exclude'`; add each missing line as an invoice item
   * attached to it explicitly (`invoice: in_...`); check the draft matches; finalize.
   *
   * Creating the invoice first means the items can only ever land on this invoice: pending items
   * left behind by a failure could otherwise be swept into whatever invoice is created next for
   * the customer. Idempotency keys make a retry within 24 h replay rather than repeat; the
   * lookup by metadata keeps a retry after the keys expired from creating a second invoice.
   */
  async syncInvoice(input: SyncStripeInvoiceInput): Promise<SyncedStripeInvoice> {
    const planned = planLines(input);
    const operation = `invoice sync ${input.kanshiInvoiceId}`;

    const expectedTotal = planned.reduce((sum, l) => sum + l.amount, 0);
    let invoice = await this.findInvoice(input.stripeCustomerId, input.kanshiInvoiceId);
    if (invoice && invoice.status !== 'draft') {
      // Finalized by an earlier attempt whose answer we never saw, or voided by hand: nothing
      // left to do, unless the Kanshi invoice changed after Stripe issued it.
      if (invoice.status !== 'void' && invoice.total !== expectedTotal) {
        throw new StripeInvoiceMismatchError(input.kanshiInvoiceId, invoice.id, `issued with total ¥${invoice.total}, Kanshi now says ¥${expectedTotal}`);
      }
      return { stripeInvoiceId: invoice.id, status: invoice.status ?? 'open' };
    }

    let present = new Map<string, Stripe.InvoiceLineItem>();
    if (!invoice) {
      invoice = await this.call(operation, () =>
        this.stripe.invoices.create(
          {
            customer: input.stripeCustomerId,
            currency: 'jpy',
            collection_method: 'send_invoice',
            due_date: Math.floor(input.dueDate.getTime() / 1000),
            // Never let Stripe finalize a draft that is still missing lines.
            auto_advance: false,
            pending_invoice_items_behavior: 'exclude',
            number: input.invoiceNumber,
            metadata: { kanshi_invoice_id: input.kanshiInvoiceId, kanshi_invoice_number: input.invoiceNumber },
          },
          { idempotencyKey: `kanshi-in-${input.kanshiInvoiceId}` },
        ),
      );
    } else {
      present = await this.linesByKey(invoice.id, operation);
    }
    const invoiceId = invoice.id;

    const wanted = new Map(planned.map((l) => [l.lineKey, l]));
    for (const [lineKey, line] of present) {
      const plan = wanted.get(lineKey);
      if (!plan) throw new StripeInvoiceMismatchError(input.kanshiInvoiceId, invoiceId, `unexpected line '${lineKey}'`);
      if (plan.amount !== line.amount) {
        throw new StripeInvoiceMismatchError(input.kanshiInvoiceId, invoiceId, `line '${lineKey}' is ¥${line.amount} in Stripe, ¥${plan.amount} in Kanshi`);
      }
    }

    for (const line of planned) {
      if (present.has(line.lineKey)) continue;
      await this.call(`${operation} line ${line.lineKey}`, () =>
        this.stripe.invoiceItems.create(
          {
            customer: input.stripeCustomerId,
            invoice: invoiceId,
            amount: line.amount,
            currency: 'jpy',
            description: line.description,
            metadata: { kanshi_invoice_id: input.kanshiInvoiceId, kanshi_line_key: line.lineKey },
          },
          { idempotencyKey: `kanshi-ii-${input.kanshiInvoiceId}-${line.lineKey}` },
        ),
      );
    }

    const finalized = await this.call(`${operation} finalize`, () =>
      this.stripe.invoices.finalizeInvoice(invoiceId, {}, { idempotencyKey: `kanshi-in-${input.kanshiInvoiceId}-finalize` }),
    );
    if (finalized.total !== expectedTotal) {
      // Only possible if someone edited the draft between our check and the finalization.
      throw new StripeInvoiceMismatchError(input.kanshiInvoiceId, invoiceId, `finalized total ¥${finalized.total}, expected ¥${expectedTotal}`);
    }
    return { stripeInvoiceId: finalized.id, status: finalized.status ?? 'open' };
  }

  /**
   * The Stripe invoice made for a Kanshi invoice, if any: an attempt whose answer was lost may
   * have created (or even finalized) it without Kanshi learning its id.
   */
  async lookupInvoice(stripeCustomerId: string, kanshiInvoiceId: string): Promise<{ stripeInvoiceId: string; status: Stripe.Invoice.Status | null } | undefined> {
    const invoice = await this.findInvoice(stripeCustomerId, kanshiInvoiceId);
    return invoice ? { stripeInvoiceId: invoice.id, status: invoice.status } : undefined;
  }

  /** Voids an open invoice; an invoice that is already void counts as done. */
  async voidInvoice(stripeInvoiceId: string): Promise<void> {
    const operation = `invoice void ${stripeInvoiceId}`;
    try {
      await this.call(operation, () => this.stripe.invoices.voidInvoice(stripeInvoiceId, {}, { idempotencyKey: `kanshi-void-${stripeInvoiceId}` }));
    } catch (err) {
      if (!(err instanceof StripeRejectedError)) throw err;
      // Voided earlier (by hand, or by an attempt whose answer was lost after the key expired).
      const current = await this.call(operation, () => this.stripe.invoices.retrieve(stripeInvoiceId));
      if (current.status !== 'void') throw err;
    }
  }

  /** Verifies the `Stripe-Signature` of a webhook against the raw body and parses the event. */
  verifyWebhook(rawBody: Buffer, signatureHeader: string | undefined): Stripe.Event {
    if (!signatureHeader) throw new StripeSignatureError('missing', 'no Stripe-Signature header');
    try {
      return this.stripe.webhooks.constructEvent(rawBody, signatureHeader, this.webhookSecret, this.webhookToleranceSec);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
        const reason = /tolerance/i.test(err.message) ? 'expired' : 'invalid';
        throw new StripeSignatureError(reason, err.message.split('\n')[0], err);
      }
      throw err;
    }
  }

  // Lists are read-your-writes consistent (unlike search), so a just-created invoice is found.
  private async findInvoice(customer: string, kanshiInvoiceId: string): Promise<Stripe.Invoice | undefined> {
    return this.call(`invoice lookup ${kanshiInvoiceId}`, async () => {
      for await (const invoice of this.stripe.invoices.list({ customer, limit: 100 })) {
        if (invoice.metadata?.kanshi_invoice_id === kanshiInvoiceId) return invoice;
      }
      return undefined;
    });
  }

  private async linesByKey(invoiceId: string, operation: string): Promise<Map<string, Stripe.InvoiceLineItem>> {
    return this.call(`${operation} lines`, async () => {
      const byKey = new Map<string, Stripe.InvoiceLineItem>();
      for await (const line of this.stripe.invoices.listLineItems(invoiceId, { limit: 100 })) {
        // A line without our key was not added by Kanshi; keep it visible to the check.
        byKey.set(line.metadata?.kanshi_line_key ?? `(foreign ${line.id})`, line);
      }
      return byKey;
    });
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw classifyStripeError(operation, err);
    }
  }
}

/**
 * Transient: no answer (connection refused/reset, timeout), 409 (a request with the same
 * idempotency key is still running), 429 and `lock_timeout` (rate limiting), 5xx, unreadable
 * answers. Permanent: other 4xx, including 401/403 (a wrong key will not fix itself) and
 * `idempotency_error` (the same key reused with different parameters). Anything that is not a
 * Stripe error is a bug and is rethrown untouched.
 */
export function classifyStripeError(operation: string, err: unknown): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  if (err instanceof Stripe.errors.StripeConnectionError) return new StripeUnavailableError(operation, err);
  const status = err.statusCode;
  if (
    status === undefined ||
    status === 409 ||
    status === 429 ||
    status >= 500 ||
    err instanceof Stripe.errors.StripeRateLimitError ||
    err.code === 'lock_timeout'
  ) {
    return new StripeUnavailableError(operation, err);
  }
  return new StripeRejectedError(
    operation,
    { message: err.message, statusCode: status, type: err.rawType, code: err.code, param: err.param, requestId: err.requestId },
    err,
  );
}

function planLines(input: SyncStripeInvoiceInput): PlannedLine[] {
  assertKeyPart('kanshiInvoiceId', input.kanshiInvoiceId);
  if (!input.invoiceNumber) throw new RangeError('syncInvoice: invoiceNumber is required');
  if (!input.stripeCustomerId) throw new RangeError('syncInvoice: stripeCustomerId is required');
  if (!(input.dueDate instanceof Date) || Number.isNaN(input.dueDate.getTime())) throw new RangeError('syncInvoice: dueDate must be a valid Date');
  if (input.lines.length === 0) throw new RangeError('syncInvoice: an invoice needs at least one line');
  assertYen('tax', input.tax);
  const seen = new Set<string>();
  const planned: PlannedLine[] = [];
  for (const line of input.lines) {
    assertKeyPart('lineKey', line.lineKey);
    if (line.lineKey === TAX_LINE_KEY) throw new RangeError(`syncInvoice: lineKey '${TAX_LINE_KEY}' is reserved for the tax line`);
    if (seen.has(line.lineKey)) throw new RangeError(`syncInvoice: duplicate lineKey '${line.lineKey}'`);
    seen.add(line.lineKey);
    assertYen(`line ${line.lineKey} amount`, line.amount);
    if (!line.description) throw new RangeError(`syncInvoice: line ${line.lineKey} needs a description`);
    planned.push({ lineKey: line.lineKey, description: line.description, amount: line.amount });
  }
  // A tax-exempt invoice gets no ¥0 line.
  if (input.tax !== 0) planned.push({ lineKey: TAX_LINE_KEY, description: TAX_LINE_DESCRIPTION, amount: input.tax });
  return planned;
}

// JPY is a zero-decimal currency: Stripe takes whole yen and rejects fractions.
function assertYen(what: string, amount: number): void {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`syncInvoice: ${what} must be a whole number of yen, got ${amount}`);
}

function assertKeyPart(what: string, value: string): void {
  if (!KEY_PART.test(value)) throw new RangeError(`${what} must be 1-100 printable ASCII characters without spaces, got ${JSON.stringify(value)}`);
}

function toStripeAddress(address: StripeAddressInput): Stripe.AddressParam {
  return {
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    state: address.state,
    postal_code: address.postalCode,
    country: address.country,
  };
}

// Key order must not change the hash: sort keys recursively.
function contentHash(value: unknown): string {
  const canonical = (v: unknown): string => {
    if (v === undefined) return 'null';
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
    const obj = v as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(',')}}`;
  };
  return createHash('sha256').update(canonical(value)).digest('hex').slice(0, 32);
}
