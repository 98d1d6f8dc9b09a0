// Customers (https://docs.stripe.com/api/customers): create, retrieve, update, list.
import { randomBytes } from 'node:crypto';
import { invalidRequest } from './stripe-errors';
import { FormObject } from './stripe-form';
import { FakeStripeCustomer } from './stripe-objects';
import { applyMetadata, clone, nowSeconds, paginate, randomId, readAddress, readEnum, readListParams, readLocales, readMetadata, readString, rejectUnknown } from './stripe-params';
import { StripeRoute, StripeStore } from './stripe-store';

export function customerRoutes(store: StripeStore): StripeRoute[] {
  function createCustomer(body: FormObject): unknown {
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
    store.customers.set(customer.id, customer);
    return clone(customer);
  }

  function listCustomers(query: FormObject): unknown {
    const page = readListParams(query, ['email']);
    const email = readString(query, 'email');
    const all = [...store.customers.values()].reverse().filter((c) => email === undefined || c.email === email);
    return clone(paginate(all, '/v1/customers', page));
  }

  function retrieveCustomer(id: string, query: FormObject): unknown {
    rejectUnknown(query, ['expand']);
    return clone(store.customerOrThrow(id, 'id', 404));
  }

  function updateCustomer(id: string, body: FormObject): unknown {
    rejectUnknown(body, ['name', 'email', 'description', 'phone', 'address', 'metadata', 'preferred_locales', 'tax_exempt', 'expand']);
    const customer = store.customerOrThrow(id, 'id', 404);
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
    return clone(customer);
  }

  return [
    { method: 'POST', path: '/v1/customers', handler: ({ body }) => createCustomer(body) },
    { method: 'GET', path: '/v1/customers', handler: ({ query }) => listCustomers(query) },
    { method: 'GET', path: '/v1/customers/:id', handler: ({ params, query }) => retrieveCustomer(params.id, query) },
    { method: 'POST', path: '/v1/customers/:id', handler: ({ params, body }) => updateCustomer(params.id, body) },
  ];
}
