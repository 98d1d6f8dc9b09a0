// Quote PDFs end to end: contracts sends a quote (quote.issued.v2), reporting renders and stores
// its PDF and announces it (report.ready), contracts links it, and Quote.pdf resolves through the
// gateway to a report whose signed download URL serves the PDF without a token; another customer
// sees neither the quote nor the report.
import { eventually, gqlOk, tokenFor } from '@kanshi/testing';
import { Suite } from '../../scripts/suite';
import { bootSuite } from './suite.fixture';

jest.setTimeout(240000);

let suite: Suite;
let url: string;
let customerId: string;
let otherId: string;
let quoteId: string;
const startDate = new Date(Date.now() + 40 * 86400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  suite = await bootSuite();
  url = suite.gatewayUrl;
  const sales = await tokenFor('sales');
  const mutate = async <T>(query: string, vars: Record<string, unknown>) => gqlOk<T>(url, sales, query, vars);
  const customer = async (name: string) => (await mutate<{ createCustomer: { id: string } }>('mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }', { i: { name, partnerId: null } })).createCustomer.id;
  customerId = await customer('E2E 帳票顧客株式会社');
  otherId = await customer('E2E 別帳票顧客株式会社');
  quoteId = (await mutate<{ createQuote: { id: string } }>('mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }', { i: { customerId, plan: 'FE_SECURITY_MONITORING', startDate } })).createQuote.id;
  await mutate('mutation($id: ID!) { sendQuote(id: $id) { id } }', { id: quoteId });
}, 180000);

afterAll(async () => {
  await suite?.stop();
});

const QUOTE = `query($id: ID!) { quote(id: $id) { id number pdf { id kind title subjectId sha256 downloadUrl } } }`;

describe('quote PDFs through the gateway', () => {
  it('links the rendered PDF to Quote.pdf, downloadable without a token by the customer’s signed URL', async () => {
    const token = await tokenFor('customer_viewer', { customerId });
    const quote = await eventually(
      async () => {
        const { quote } = await gqlOk<{ quote: { number: string; pdf: { id: string; kind: string; title: string; subjectId: string; sha256: string; downloadUrl: string } | null } }>(url, token, QUOTE, { id: quoteId });
        if (!quote.pdf) throw new Error('no PDF yet');
        return quote;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    expect(quote.pdf).toMatchObject({ kind: 'QUOTE', subjectId: quoteId, title: `御見積書 ${quote.number}` });
    const res = await fetch(quote.pdf!.downloadUrl);
    expect(res.status).toBe(200);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await import('node:crypto')).createHash('sha256').update(pdf).digest('hex')).toBe(quote.pdf!.sha256);
    const tampered = quote.pdf!.downloadUrl.replace(/expires=(\d+)/, (_, e: string) => `expires=${Number(e) + 60}`);
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('shows another customer neither the quote nor its report', async () => {
    const token = await tokenFor('customer_viewer', { customerId: otherId });
    const { quote } = await gqlOk<{ quote: unknown }>(url, token, QUOTE, { id: quoteId });
    expect(quote).toBeNull();
    const { reports } = await gqlOk<{ reports: unknown[] }>(url, token, `{ reports(kind: QUOTE) { id } }`);
    expect(reports).toEqual([]);
  });
});
