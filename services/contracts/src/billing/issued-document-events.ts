import { BillingDocumentLine, InvoiceIssuedV2Body, QuoteIssuedV2Body, TaxAtRate } from '@kanshi/events';
import { toTokyoDate } from '@kanshi/calendar';
import { QuoteEntity } from '../quotes/quote.entity';

// The v2 bodies of quote.issued and invoice.issued: the whole document as printed, for
// reporting's PDFs (it may not read this schema). Published beside v1 in the same transaction.

type InvoiceLike = {
  id: string;
  number: string | null;
  period: string;
  recipientKind: 'customer' | 'partner';
  recipientId: string;
  recipientName: string;
  customerId: string | null;
  partnerId: string | null;
  issuerName: string;
  issuerRegistrationNumber: string;
  transactionDate: string;
  dueDate: string;
  subtotal: number;
  tax: number;
  total: number;
  taxByRate: unknown;
  customerSubtotals: unknown;
  issuedAt: Date | null;
};

type InvoiceLineLike = {
  description: string;
  descriptionJa: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  taxRate: number;
  recurring: string;
  customerId: string;
  serviceFrom: string | null;
  serviceTo: string | null;
};

export function invoiceIssuedV2(invoice: InvoiceLike, lines: readonly InvoiceLineLike[]): InvoiceIssuedV2Body {
  const names = new Map(((invoice.customerSubtotals ?? []) as { customerId: string; name: string }[]).map((c) => [c.customerId, c.name]));
  return {
    invoiceId: invoice.id,
    number: invoice.number!,
    period: invoice.period,
    partnerId: invoice.partnerId,
    customerId: invoice.customerId,
    language: 'ja',
    issueDate: toTokyoDate(invoice.issuedAt ?? new Date(), 'issuedAt'),
    transactionDate: invoice.transactionDate,
    dueDate: invoice.dueDate,
    issuer: { name: invoice.issuerName, registrationNumber: invoice.issuerRegistrationNumber },
    recipient: { kind: invoice.recipientKind, id: invoice.recipientId, name: invoice.recipientName },
    lines: lines.map(
      (l): BillingDocumentLine => ({
        description: l.description,
        descriptionJa: l.descriptionJa,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        amount: l.amount,
        taxRate: l.taxRate,
        recurring: l.recurring,
        serviceFrom: l.serviceFrom,
        serviceTo: l.serviceTo,
        customerName: invoice.recipientKind === 'partner' ? (names.get(l.customerId) ?? null) : null,
      }),
    ),
    subtotal: invoice.subtotal,
    taxByRate: taxByRateOf(invoice.taxByRate),
    tax: invoice.tax,
    total: invoice.total,
  };
}

export function quoteIssuedV2(quote: QuoteEntity, customer: { name: string; partnerId: string | null }, issuer: { name: string; registrationNumber: string }): QuoteIssuedV2Body {
  return {
    quoteId: quote.id,
    customerId: quote.customerId,
    partnerId: customer.partnerId,
    number: quote.number,
    language: 'ja',
    plan: quote.plan,
    issueDate: toTokyoDate(quote.sentAt ?? new Date(), 'sentAt'),
    validUntil: quote.validUntil,
    startDate: quote.startDate,
    termMonths: quote.termMonths,
    issuer,
    recipient: { kind: 'customer', id: quote.customerId, name: customer.name },
    lines: quote.lines.map((l) => ({
      description: l.description,
      descriptionJa: l.descriptionJa,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: l.amount,
      taxRate: l.taxRate,
      recurring: l.recurring,
      months: l.months,
    })),
    subtotal: quote.subtotal,
    taxByRate: taxByRateOf(quote.taxByRate),
    tax: quote.tax,
    total: quote.total,
    oneTimeTotal: quote.oneTimeTotal,
    monthlyTotal: quote.monthlyTotal,
  };
}

function taxByRateOf(value: unknown): TaxAtRate[] {
  return ((value ?? []) as TaxAtRate[]).map((t) => ({ rate: t.rate, taxable: t.taxable, tax: t.tax }));
}
