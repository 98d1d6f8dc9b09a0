// Invoice items (https://docs.stripe.com/api/invoiceitems): create (pending, or on a draft
// invoice), retrieve, list.
import { invalidRequest, missingParam, noSuch } from './stripe-errors';
import { FormObject } from './stripe-form';
import { FakeStripeInvoiceItem, StoredInvoice } from './stripe-objects';
import { applyMetadata, clone, nowSeconds, paginate, randomId, readBoolean, readCurrency, readInteger, readListParams, readMetadata, readString, rejectUnknown } from './stripe-params';
import { StripeRoute, StripeStore } from './stripe-store';

export function invoiceItemRoutes(store: StripeStore): StripeRoute[] {
  function createInvoiceItem(body: FormObject): unknown {
    rejectUnknown(body, ['customer', 'amount', 'currency', 'description', 'discountable', 'invoice', 'metadata', 'period', 'expand']);
    const customerId = readString(body, 'customer', true) as string;
    const amount = readInteger(body, 'amount');
    if (amount === undefined) throw missingParam('amount');
    let currency = readCurrency(body);
    const invoiceId = readString(body, 'invoice');
    const customer = store.customerOrThrow(customerId, 'customer', 400);
    let invoice: StoredInvoice | undefined;
    if (invoiceId !== undefined) {
      invoice = store.invoices.get(invoiceId);
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
    store.items.set(item.id, item);
    return clone(item);
  }

  function listInvoiceItems(query: FormObject): unknown {
    const page = readListParams(query, ['customer', 'invoice', 'pending']);
    const customer = readString(query, 'customer');
    const invoice = readString(query, 'invoice');
    const pending = readBoolean(query, 'pending');
    const all = [...store.items.values()]
      .reverse()
      .filter((i) => customer === undefined || i.customer === customer)
      .filter((i) => invoice === undefined || i.invoice === invoice)
      .filter((i) => pending === undefined || (i.invoice === null) === pending);
    return clone(paginate(all, '/v1/invoiceitems', page));
  }

  function retrieveInvoiceItem(id: string, query: FormObject): unknown {
    rejectUnknown(query, ['expand']);
    const item = store.items.get(id);
    if (!item) throw noSuch('invoiceitem', id, 'id', 404);
    return clone(item);
  }

  return [
    { method: 'POST', path: '/v1/invoiceitems', handler: ({ body }) => createInvoiceItem(body) },
    { method: 'GET', path: '/v1/invoiceitems', handler: ({ query }) => listInvoiceItems(query) },
    { method: 'GET', path: '/v1/invoiceitems/:id', handler: ({ params, query }) => retrieveInvoiceItem(params.id, query) },
  ];
}
