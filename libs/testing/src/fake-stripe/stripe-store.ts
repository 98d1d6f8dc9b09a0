// What the fake Stripe account holds, shared by the resource files, and the shape of a resource
// route: a handler gets the parsed request and returns the Stripe object answered with 200, or
// throws an ApiFailure.
import { FormObject } from './stripe-form';
import { noSuch } from './stripe-errors';
import { FakeStripeCustomer, FakeStripeInvoiceItem, StoredInvoice } from './stripe-objects';

export interface StripeRequest {
  params: Record<string, string>;
  query: FormObject;
  body: FormObject;
}

export interface StripeRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: (req: StripeRequest) => unknown;
}

export class StripeStore {
  readonly customers = new Map<string, FakeStripeCustomer>();
  readonly items = new Map<string, FakeStripeInvoiceItem>();
  readonly invoices = new Map<string, StoredInvoice>();

  constructor(readonly accountName: string) {}

  clear(): void {
    this.customers.clear();
    this.items.clear();
    this.invoices.clear();
  }

  customerOrThrow(id: string, param: string, status: 400 | 404): FakeStripeCustomer {
    const customer = this.customers.get(id);
    if (!customer) throw noSuch('customer', id, param, status);
    return customer;
  }

  invoiceOrThrow(id: string): StoredInvoice {
    const invoice = this.invoices.get(id);
    if (!invoice) throw noSuch('invoice', id, 'id', 404);
    return invoice;
  }
}
