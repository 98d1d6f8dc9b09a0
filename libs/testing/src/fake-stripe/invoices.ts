// Invoices (https://docs.stripe.com/api/invoices): create, retrieve, list, list lines, finalize,
// send, void, pay. Totals and lines are derived from the attached invoice items when rendered,
// and frozen when the invoice leaves draft.
import { invalidRequest } from './stripe-errors';
import { FormObject } from './stripe-form';
import { FakeStripeInvoice, FakeStripeInvoiceItem, FakeStripeLineItem, StoredInvoice } from './stripe-objects';
import { applyMetadata, clone, nowSeconds, paginate, randomId, readBoolean, readCurrency, readEnum, readInteger, readListParams, readMetadata, readString, rejectUnknown } from './stripe-params';
import { StripeRoute, StripeStore } from './stripe-store';

export function invoiceRoutes(store: StripeStore): StripeRoute[] {
  function createInvoice(body: FormObject): unknown {
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
    const customer = store.customerOrThrow(customerId, 'customer', 400);
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
    if (number && [...store.invoices.values()].some((i) => i.number === number)) {
      throw invalidRequest(`Invoice number '${number}' is already in use; invoice numbers must be unique.`, { param: 'number', code: 'invoice_number_taken' });
    }
    const currency = readCurrency(body) ?? customer.currency ?? 'usd';
    const now = nowSeconds();
    const invoice: StoredInvoice = {
      id: randomId('in'),
      object: 'invoice',
      account_country: 'JP',
      account_name: store.accountName,
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
    store.invoices.set(invoice.id, invoice);
    customer.currency = customer.currency ?? currency;
    if (behavior === 'include') {
      for (const item of store.items.values()) {
        if (item.invoice === null && item.customer === customerId && item.currency === currency) item.invoice = invoice.id;
      }
    }
    return renderInvoice(store, invoice);
  }

  function listInvoices(query: FormObject): unknown {
    const page = readListParams(query, ['customer', 'status', 'collection_method']);
    const customer = readString(query, 'customer');
    const status = readEnum(query, 'status', ['draft', 'open', 'paid', 'uncollectible', 'void'] as const);
    const collection = readEnum(query, 'collection_method', ['charge_automatically', 'send_invoice'] as const);
    const all = [...store.invoices.values()]
      .reverse()
      .filter((i) => customer === undefined || i.customer === customer)
      .filter((i) => status === undefined || i.status === status)
      .filter((i) => collection === undefined || i.collection_method === collection);
    const list = paginate(all, '/v1/invoices', page);
    return { ...list, data: list.data.map((i) => renderInvoice(store, i)) };
  }

  function retrieveInvoice(id: string, query: FormObject): unknown {
    rejectUnknown(query, ['expand']);
    return renderInvoice(store, store.invoiceOrThrow(id));
  }

  function listInvoiceLines(id: string, query: FormObject): unknown {
    const page = readListParams(query, []);
    const invoice = store.invoiceOrThrow(id);
    // Lines are listed in the order the items were added.
    return clone(paginate(linesOf(store, invoice), `/v1/invoices/${id}/lines`, page));
  }

  function finalizeInvoice(id: string, body: FormObject): unknown {
    rejectUnknown(body, ['auto_advance', 'expand']);
    const invoice = store.invoiceOrThrow(id);
    if (invoice.status !== 'draft') {
      throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", { code: 'invoice_unexpected_state' });
    }
    const autoAdvance = readBoolean(body, 'auto_advance');
    if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
    finalize(store, invoice);
    return renderInvoice(store, invoice);
  }

  function sendInvoice(id: string, body: FormObject): unknown {
    rejectUnknown(body, ['expand']);
    const invoice = store.invoiceOrThrow(id);
    if (invoice.collection_method !== 'send_invoice') {
      throw invalidRequest("You can only manually send an invoice if its collection method is 'send_invoice'.", { code: 'invoice_unexpected_state' });
    }
    // Sending a draft finalizes it first.
    if (invoice.status === 'draft') finalize(store, invoice);
    if (invoice.status === 'void' || invoice.status === 'uncollectible') {
      throw invalidRequest(`You cannot send an invoice whose status is ${invoice.status}.`, { code: 'invoice_unexpected_state' });
    }
    return renderInvoice(store, invoice);
  }

  function voidInvoice(id: string, body: FormObject): unknown {
    rejectUnknown(body, ['expand']);
    const invoice = store.invoiceOrThrow(id);
    if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
      throw invalidRequest(`You can only void invoices that are open or uncollectible; this invoice is ${invoice.status}.`, { code: 'invoice_unexpected_state' });
    }
    invoice.status = 'void';
    invoice.status_transitions.voided_at = nowSeconds();
    return renderInvoice(store, invoice);
  }

  function payInvoice(id: string, body: FormObject): unknown {
    rejectUnknown(body, ['paid_out_of_band', 'expand']);
    readBoolean(body, 'paid_out_of_band');
    const invoice = store.invoiceOrThrow(id);
    if (invoice.status === 'draft') finalize(store, invoice);
    if (invoice.status === 'paid') throw invalidRequest('Invoice is already paid', { code: 'invoice_already_paid' });
    if (invoice.status === 'void') throw invalidRequest('You cannot pay a void invoice.', { code: 'invoice_unexpected_state' });
    invoice.amount_paid = Math.max(invoice.frozenTotal ?? 0, 0);
    invoice.status = 'paid';
    invoice.status_transitions.paid_at = nowSeconds();
    return renderInvoice(store, invoice);
  }

  return [
    { method: 'POST', path: '/v1/invoices', handler: ({ body }) => createInvoice(body) },
    { method: 'GET', path: '/v1/invoices', handler: ({ query }) => listInvoices(query) },
    { method: 'GET', path: '/v1/invoices/:id', handler: ({ params, query }) => retrieveInvoice(params.id, query) },
    { method: 'GET', path: '/v1/invoices/:id/lines', handler: ({ params, query }) => listInvoiceLines(params.id, query) },
    { method: 'POST', path: '/v1/invoices/:id/finalize', handler: ({ params, body }) => finalizeInvoice(params.id, body) },
    { method: 'POST', path: '/v1/invoices/:id/send', handler: ({ params, body }) => sendInvoice(params.id, body) },
    { method: 'POST', path: '/v1/invoices/:id/void', handler: ({ params, body }) => voidInvoice(params.id, body) },
    { method: 'POST', path: '/v1/invoices/:id/pay', handler: ({ params, body }) => payInvoice(params.id, body) },
  ];
}

function finalize(store: StripeStore, invoice: StoredInvoice): void {
  const now = nowSeconds();
  const customer = store.customers.get(invoice.customer);
  if (invoice.number === null && customer) {
    invoice.number = `${customer.invoice_prefix}-${String(customer.next_invoice_sequence).padStart(4, '0')}`;
    customer.next_invoice_sequence++;
  }
  invoice.frozenTotal = itemsOf(store, invoice).reduce((sum, i) => sum + i.amount, 0);
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

function itemsOf(store: StripeStore, invoice: StoredInvoice): FakeStripeInvoiceItem[] {
  return [...store.items.values()].filter((i) => i.invoice === invoice.id);
}

function linesOf(store: StripeStore, invoice: StoredInvoice): FakeStripeLineItem[] {
  return itemsOf(store, invoice).map((item) => ({
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

export function renderInvoice(store: StripeStore, invoice: StoredInvoice): FakeStripeInvoice {
  const { daysUntilDue: _days, frozenTotal, ...fields } = invoice;
  const lines = linesOf(store, invoice);
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
