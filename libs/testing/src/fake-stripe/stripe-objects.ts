// The Stripe objects the fake stores and answers with: a documented subset of each object's
// fields (https://docs.stripe.com/api).
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
export type StoredInvoice = Omit<FakeStripeInvoice, 'lines' | 'subtotal' | 'subtotal_excluding_tax' | 'total' | 'total_excluding_tax' | 'amount_due' | 'amount_remaining'> & {
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
