// Quote and invoice PDFs from contracts' v2 events, rendered on the real Chromium and read back
// with pdftotext: sections, figures and Japanese text; the invoice as a qualified invoice; a
// partner's invoice owned by the partner; report.ready for contracts; one PDF per event.
import { randomUUID } from 'node:crypto';
import { EventEnvelope, InvoiceIssuedV2Body, QuoteIssuedV2Body } from '@kanshi/events';
import { SubgraphKit } from '@kanshi/testing';
import { pdfText } from '../testing/pdf-text';
import { startReporting } from '../testing/reporting-kit';
import { BillingDocumentsRepository } from './billing-documents.repository';
import { BillingDocumentsService } from './billing-documents.service';

jest.setTimeout(180_000);

let kit: SubgraphKit & { downloadBase: string };
let service: BillingDocumentsService;
beforeAll(async () => {
  kit = await startReporting();
  service = kit.app.get(BillingDocumentsService);
});
afterAll(() => kit?.close());

const ISSUER = { name: '株式会社監視SOC', registrationNumber: 'T7123456789012' };

function quote(customerId: string, over: Partial<QuoteIssuedV2Body> = {}): QuoteIssuedV2Body {
  return {
    quoteId: randomUUID(),
    customerId,
    partnerId: null,
    number: 'Q-2026-000042',
    language: 'ja',
    plan: 'MDR',
    issueDate: '2026-11-20',
    validUntil: '2026-12-20',
    startDate: '2027-01-01',
    termMonths: 12,
    issuer: ISSUER,
    recipient: { kind: 'customer', id: customerId, name: '株式会社サンプル商事' },
    lines: [
      { description: 'MDR initial fee', descriptionJa: 'MDR 初期費用', quantity: 1, unitPrice: 300_000, amount: 300_000, taxRate: 10, recurring: 'initial', months: null },
      { description: 'MDR monthly fee per endpoint', descriptionJa: 'MDR 月額（端末あたり）', quantity: 150, unitPrice: 1_200, amount: 180_000, taxRate: 10, recurring: 'monthly', months: 12 },
    ],
    subtotal: 2_460_000,
    taxByRate: [{ rate: 10, taxable: 2_460_000, tax: 246_000 }],
    tax: 246_000,
    total: 2_706_000,
    oneTimeTotal: 300_000,
    monthlyTotal: 180_000,
    ...over,
  };
}

function invoice(over: Partial<InvoiceIssuedV2Body> = {}): InvoiceIssuedV2Body {
  const customerId = randomUUID();
  return {
    invoiceId: randomUUID(),
    number: 'INV-2026-000314',
    period: '2026-11',
    partnerId: null,
    customerId,
    language: 'ja',
    issueDate: '2026-12-01',
    transactionDate: '2026-11-30',
    dueDate: '2026-12-31',
    issuer: ISSUER,
    recipient: { kind: 'customer', id: customerId, name: '株式会社サンプル商事' },
    lines: [
      { description: 'Security monitoring (monthly)', descriptionJa: 'セキュリティ監視 月額', quantity: 1, unitPrice: 500_000, amount: 500_000, taxRate: 10, recurring: 'monthly', serviceFrom: '2026-11-01', serviceTo: '2026-11-30' },
      { description: 'Printed manual', descriptionJa: '運用マニュアル冊子', quantity: 2, unitPrice: 1_000, amount: 2_000, taxRate: 8, recurring: 'one_off' },
    ],
    subtotal: 502_000,
    taxByRate: [
      { rate: 10, taxable: 500_000, tax: 50_000 },
      { rate: 8, taxable: 2_000, tax: 160 },
    ],
    tax: 50_160,
    total: 552_160,
    ...over,
  };
}

async function deliver<T extends QuoteIssuedV2Body | InvoiceIssuedV2Body>(body: T): Promise<string> {
  const eventId = randomUUID();
  const repo = kit.app.get(BillingDocumentsRepository);
  const isQuote = 'quoteId' in body;
  await kit.ds.transaction(async (em) => {
    const event = { eventId, subject: 'x', occurredAt: new Date().toISOString(), customerId: body.customerId, body } as EventEnvelope<T>;
    // What the handler does, without the job send (this kit runs no job queue): the job is run below.
    if (isQuote) await repo.add(em, { eventId, kind: 'QUOTE', subjectId: (body as QuoteIssuedV2Body).quoteId, customerId: body.customerId, partnerId: null, body: event.body as QuoteIssuedV2Body });
    else {
      const b = body as InvoiceIssuedV2Body;
      const partnerOwned = b.recipient.kind === 'partner';
      await repo.add(em, { eventId, kind: 'INVOICE', subjectId: b.invoiceId, customerId: partnerOwned ? null : b.customerId, partnerId: partnerOwned ? b.partnerId : null, body: b });
    }
  });
  return eventId;
}

async function pdfOf(reportUrl: string): Promise<string> {
  const res = await fetch(reportUrl);
  expect(res.status).toBe(200);
  return (await pdfText(Buffer.from(await res.arrayBuffer()))).replace(/[ \t]+/g, ' ');
}

const LIST = `query($kind: ReportKind) { reports(kind: $kind) { id kind title subjectId sha256 downloadUrl } }`;

describe('quote PDFs', () => {
  it('renders the quote with every line, the totals per tax rate, the issuer and the recipient, stores it as QUOTE of the quote and announces it', async () => {
    const { customerId } = await kit.createCustomer();
    const q = quote(customerId);
    const eventId = await deliver(q);
    const saved = await service.make(eventId);
    expect(saved).toMatchObject({ kind: 'QUOTE', subjectId: q.quoteId, customerId, title: '御見積書 Q-2026-000042', version: 1 });
    const [listed] = (await kit.ok<{ reports: { id: string; downloadUrl: string }[] }>('customer_viewer', LIST, { kind: 'QUOTE' }, { customerId })).reports;
    expect(listed.id).toBe(saved!.id);
    const text = await pdfOf(listed.downloadUrl);
    for (const s of ['御見積書', '株式会社サンプル商事 御中', 'Q-2026-000042', '2026-12-20', '株式会社監視SOC', '登録番号: T7123456789012', 'MDR 初期費用', '¥300,000', 'MDR 月額（端末あたり）', '150 × 12か月', '¥1,200', '¥180,000', '小計（税抜） ¥2,460,000', '10%対象 ¥2,460,000', '消費税（10%） ¥246,000', '合計（税込） ¥2,706,000']) {
      expect(text).toContain(s);
    }
    const ready = await kit.outbox('reporting.report.ready.v1', customerId);
    expect(ready.map((e) => e.body)).toEqual([{ reportId: saved!.id, kind: 'QUOTE', subjectId: q.quoteId, sha256: saved!.sha256 }]);
    expect(await service.make(eventId)).toBeNull();
    expect(await kit.outbox('reporting.report.ready.v1', customerId)).toHaveLength(1);
  });

  it('prints a quote in English when the event says so, and shows markup in names literally', async () => {
    const { customerId } = await kit.createCustomer();
    const q = quote(customerId, { language: 'en', recipient: { kind: 'customer', id: customerId, name: '<b>Acme</b> & Co' } });
    const saved = await service.make(await deliver(q));
    const [listed] = (await kit.ok<{ reports: { downloadUrl: string }[] }>('customer_viewer', LIST, { kind: 'QUOTE' }, { customerId })).reports;
    const text = await pdfOf(listed.downloadUrl);
    expect(saved!.language).toBe('en');
    expect(text).toContain('Quote');
    expect(text).toContain('<b>Acme</b> & Co');
    expect(text).toContain('MDR monthly fee per endpoint');
    expect(text).toContain('Total (incl. tax) ¥2,706,000');
  });
});

describe('invoice PDFs', () => {
  it('lays the invoice out as a qualified invoice: issuer and registration number, transaction date, lines, totals and tax per rate, recipient', async () => {
    const inv = invoice();
    await kit.ds.query(`INSERT INTO reporting.tenant_customer (customer_id, partner_id, name) VALUES ($1, NULL, 'x')`, [inv.customerId]);
    const saved = await service.make(await deliver(inv));
    expect(saved).toMatchObject({ kind: 'INVOICE', subjectId: inv.invoiceId, customerId: inv.customerId, ownerPartnerId: null, period: '2026-11' });
    const [listed] = (await kit.ok<{ reports: { downloadUrl: string }[] }>('customer_admin', LIST, { kind: 'INVOICE' }, { customerId: inv.customerId! })).reports;
    const text = await pdfOf(listed.downloadUrl);
    for (const s of [
      '請求書',
      '適格請求書',
      '株式会社サンプル商事 御中',
      '株式会社監視SOC',
      '登録番号: T7123456789012',
      '取引年月日 2026-11-30',
      'お支払期限 2026-12-31',
      'セキュリティ監視 月額',
      '2026-11-01 – 2026-11-30',
      '運用マニュアル冊子 ※',
      '10%対象 ¥500,000',
      '消費税（10%） ¥50,000',
      '8%対象 ¥2,000',
      '消費税（8%） ¥160',
      '合計（税込） ¥552,160',
      '※印は軽減税率（8%）対象',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('gives a partner’s invoice to the partner: listed and fetched by it and by staff, never by its customers or another partner', async () => {
    const partnerId = randomUUID();
    const { customerId } = await kit.createCustomer({ partnerId });
    const inv = invoice({
      partnerId,
      customerId: null,
      recipient: { kind: 'partner', id: partnerId, name: 'パートナー販売株式会社' },
      lines: [{ description: 'Monitoring', descriptionJa: '監視 月額', quantity: 1, unitPrice: 100_000, amount: 100_000, taxRate: 10, recurring: 'monthly', customerName: '顧客A株式会社' }],
      subtotal: 100_000,
      taxByRate: [{ rate: 10, taxable: 100_000, tax: 10_000 }],
      tax: 10_000,
      total: 110_000,
    });
    const saved = await service.make(await deliver(inv));
    expect(saved).toMatchObject({ customerId: null, ownerPartnerId: partnerId });
    const mine = (await kit.ok<{ reports: { id: string; downloadUrl: string }[] }>('partner_admin', LIST, { kind: 'INVOICE' }, { partnerId })).reports;
    expect(mine.map((r) => r.id)).toEqual([saved!.id]);
    const text = await pdfOf(mine[0].downloadUrl);
    expect(text).toContain('パートナー販売株式会社 御中');
    expect(text).toContain('顧客A株式会社');
    expect((await kit.ok<{ reports: unknown[] }>('customer_admin', LIST, { kind: 'INVOICE' }, { customerId })).reports).toEqual([]);
    expect((await kit.ok<{ reports: unknown[] }>('partner_admin', LIST, { kind: 'INVOICE' }, { partnerId: randomUUID() })).reports).toEqual([]);
    expect((await kit.ok<{ reports: { id: string }[] }>('provider_admin', LIST, { kind: 'INVOICE' })).reports.map((r) => r.id)).toContain(saved!.id);
  });
});
