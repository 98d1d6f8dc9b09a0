// Contracts through the gateway, with every process running: quotes and contracts are scoped to
// the caller's tenant end to end (billing and Stripe are covered by the contracts int specs,
// which can move the clock to a closed month).
import { gqlOk, gqlRequest, tokenFor } from '@kanshi/testing';
import { Suite } from '../../scripts/suite';
import { bootSuite } from './suite.fixture';

jest.setTimeout(120000);

let suite: Suite;
let url: string;
const ids = { partner: '', partnerCustomer: '', direct: '', other: '', directQuote: '', directContract: '', partnerQuote: '', partnerContract: '' };

// Quotes start on a day after today: a quote cannot start in the past.
const startDate = new Date(Date.now() + 40 * 86400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  suite = await bootSuite();
  url = suite.gatewayUrl;
  const sales = await tokenFor('sales');
  const create = async <T>(query: string, i: Record<string, unknown>, token = sales) => gqlOk<T>(url, token, query, { i });
  // a partner's discount is provider_admin's to give
  ids.partner = (await create<{ createPartner: { id: string } }>('mutation($i: CreatePartnerInput!) { createPartner(input: $i) { id } }', { name: 'E2E パートナー', discountBps: 1000 }, await tokenFor('provider_admin'))).createPartner.id;
  const customer = async (name: string, partnerId: string | null) =>
    (await create<{ createCustomer: { id: string } }>('mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }', { name, partnerId })).createCustomer.id;
  ids.partnerCustomer = await customer('E2E パートナー顧客株式会社', ids.partner);
  ids.direct = await customer('E2E 直販顧客株式会社', null);
  ids.other = await customer('E2E 別顧客株式会社', null);

  const partnerToken = await tokenFor('partner_admin', { partnerId: ids.partner });
  const quote = async (customerId: string, token: string) =>
    (await create<{ createQuote: { id: string } }>('mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }', { customerId, plan: 'FE_SECURITY_MONITORING', startDate }, token)).createQuote.id;
  ids.directQuote = await quote(ids.direct, sales);
  ids.partnerQuote = await quote(ids.partnerCustomer, partnerToken);
  // only a sent quote can be accepted
  await gqlOk(url, sales, 'mutation($id: ID!) { sendQuote(id: $id) { id } }', { id: ids.directQuote });
  await gqlOk(url, partnerToken, 'mutation($id: ID!) { sendQuote(id: $id) { id } }', { id: ids.partnerQuote });
  const accept = async (id: string, token: string) => (await gqlOk<{ acceptQuote: { id: string } }>(url, token, 'mutation($id: ID!) { acceptQuote(id: $id, termsVersion: "1.1") { id } }', { id })).acceptQuote.id;
  ids.directContract = await accept(ids.directQuote, await tokenFor('customer_admin', { customerId: ids.direct }));
  ids.partnerContract = await accept(ids.partnerQuote, partnerToken);
}, 180000);

afterAll(async () => {
  await suite?.stop();
});

const QUERY = `query($dq: ID!, $dc: ID!, $pq: ID!, $pc: ID!) {
  # 480,000 initial + 480,000 x 12 months, plus 10% tax
  directQuote: quote(id: $dq) { id total customer { name } }
  directContract: contract(id: $dc) { id status termsAcceptances { termsVersion } }
  partnerQuote: quote(id: $pq) { id lines { unitPrice } }
  partnerContract: contract(id: $pc) { id customer { name partner { name } } }
  invoices { id }
}`;
const vars = () => ({ dq: ids.directQuote, dc: ids.directContract, pq: ids.partnerQuote, pc: ids.partnerContract });

describe('contracts through the gateway', () => {
  it('shows the partner its customer’s quote at partner prices and its contract, and nothing of the direct customer', async () => {
    const seen = await gqlOk(url, await tokenFor('partner_admin', { partnerId: ids.partner }), QUERY, vars());
    expect(seen).toEqual({
      directQuote: null,
      directContract: null,
      partnerQuote: { id: ids.partnerQuote, lines: [{ unitPrice: 432_000 }, { unitPrice: 432_000 }] },
      partnerContract: { id: ids.partnerContract, customer: { name: 'E2E パートナー顧客株式会社', partner: { name: 'E2E パートナー' } } },
      invoices: [],
    });
  });

  it('shows the direct customer its own quote and contract under terms 1.1, and not the partner’s', async () => {
    const seen = await gqlOk(url, await tokenFor('customer_viewer', { customerId: ids.direct }), QUERY, vars());
    expect(seen).toMatchObject({
      directQuote: { id: ids.directQuote, total: 6_864_000, customer: { name: 'E2E 直販顧客株式会社' } },
      directContract: { id: ids.directContract, status: 'PENDING_ONBOARDING', termsAcceptances: [{ termsVersion: '1.1' }] },
      partnerQuote: null,
      partnerContract: null,
    });
  });

  it('shows another customer nothing', async () => {
    const seen = await gqlOk(url, await tokenFor('customer_admin', { customerId: ids.other }), QUERY, vars());
    expect(seen).toEqual({ directQuote: null, directContract: null, partnerQuote: null, partnerContract: null, invoices: [] });
  });

  it('refuses the partner acting on the direct customer’s contract as if it did not exist', async () => {
    const r = await gqlRequest(url, await tokenFor('partner_admin', { partnerId: ids.partner }), 'mutation($id: ID!) { terminateContract(id: $id, endDate: "2099-12-31") { id } }', { id: ids.directContract });
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
