// Who sees what: a partner sees its customers, their quotes and contracts, and its own invoices;
// a customer sees its own; another tenant's object reads exactly like a missing one. This spec
// bills 2029; no other spec has contracts in service then.
import { activeContract, ContractsKit, createCustomer, createPartner, createQuote, runBilling, startContracts } from './contracts.int-kit';

let kit: ContractsKit;
let partner: string;
let otherPartner: string;
let partnerCustomer: string;
let direct: string;
let otherDirect: string;
const ids = {} as { directQuote: string; directContract: string; directInvoice: string; partnerQuote: string; partnerContract: string; partnerInvoice: string };

beforeAll(async () => {
  kit = await startContracts({ now: '2029-01-01T09:00:00+09:00' });
  partner = (await createPartner(kit, { name: 'パートナーA株式会社' })).id;
  otherPartner = (await createPartner(kit, { name: 'パートナーB株式会社' })).id;
  partnerCustomer = (await createCustomer(kit, { name: 'Aの顧客株式会社', partnerId: partner })).id;
  direct = (await createCustomer(kit, { name: '直販顧客株式会社' })).id;
  otherDirect = (await createCustomer(kit, { name: '別の直販顧客株式会社' })).id;

  const directContract = await activeContract(kit, direct, { plan: 'FE_SECURITY_MONITORING', startDate: '2029-01-01' }, '2029-01-01');
  const partnerContract = await activeContract(kit, partnerCustomer, { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'BUSINESS_HOURS', startDate: '2029-01-01' }, '2029-01-01');
  kit.clock.set('2029-02-01T09:00:00+09:00');
  const { invoices } = await runBilling(kit, '2029-01');
  Object.assign(ids, {
    directQuote: directContract.quoteId,
    directContract: directContract.id,
    directInvoice: invoices.find((i: { recipient: { id: string } }) => i.recipient.id === direct).id,
    partnerQuote: partnerContract.quoteId,
    partnerContract: partnerContract.id,
    partnerInvoice: invoices.find((i: { recipient: { id: string } }) => i.recipient.id === partner).id,
  });
});
afterAll(() => kit.close());

const EVERYTHING = `query($dq: ID!, $dc: ID!, $di: ID!, $pq: ID!, $pc: ID!, $pi: ID!, $d: ID!) {
  customers { id }
  partners { id }
  directCustomer: customer(id: $d) { id }
  directQuote: quote(id: $dq) { id }
  directContract: contract(id: $dc) { id }
  directInvoice: invoice(id: $di) { id }
  partnerQuote: quote(id: $pq) { id }
  partnerContract: contract(id: $pc) { id }
  partnerInvoice: invoice(id: $pi) { id lines { customerId } }
  quotes { id }
  contracts { id }
  invoices { id }
  invoicesOfDirect: invoices(customerId: $d) { id }
}`;
const variables = () => ({ dq: ids.directQuote, dc: ids.directContract, di: ids.directInvoice, pq: ids.partnerQuote, pc: ids.partnerContract, pi: ids.partnerInvoice, d: direct });
const idsOf = (list: { id: string }[]) => list.map((x) => x.id).sort();

describe('tenancy', () => {
  it('shows a partner its customers, their quotes and contracts, its own invoice, and nothing of the direct customer', async () => {
    const seen = await kit.ok('partner_admin', EVERYTHING, variables(), { partnerId: partner });
    expect(seen).toMatchObject({
      customers: [{ id: partnerCustomer }],
      partners: [{ id: partner }],
      directCustomer: null,
      directQuote: null,
      directContract: null,
      directInvoice: null,
      partnerQuote: { id: ids.partnerQuote },
      partnerContract: { id: ids.partnerContract },
      partnerInvoice: { id: ids.partnerInvoice, lines: expect.arrayContaining([{ customerId: partnerCustomer }]) },
      quotes: [{ id: ids.partnerQuote }],
      contracts: [{ id: ids.partnerContract }],
      invoices: [{ id: ids.partnerInvoice }],
      invoicesOfDirect: [],
    });
  });

  it('shows another partner none of it', async () => {
    const seen = await kit.ok('partner_admin', EVERYTHING, variables(), { partnerId: otherPartner });
    expect(seen).toEqual({
      customers: [],
      partners: [{ id: otherPartner }],
      directCustomer: null,
      directQuote: null,
      directContract: null,
      directInvoice: null,
      partnerQuote: null,
      partnerContract: null,
      partnerInvoice: null,
      quotes: [],
      contracts: [],
      invoices: [],
      invoicesOfDirect: [],
    });
  });

  it('shows a direct customer its own quote, contract and invoice only', async () => {
    const seen = await kit.ok('customer_viewer', EVERYTHING, variables(), { customerId: direct });
    expect(seen).toEqual({
      customers: [{ id: direct }],
      partners: [],
      directCustomer: { id: direct },
      directQuote: { id: ids.directQuote },
      directContract: { id: ids.directContract },
      directInvoice: { id: ids.directInvoice },
      partnerQuote: null,
      partnerContract: null,
      partnerInvoice: null,
      quotes: [{ id: ids.directQuote }],
      contracts: [{ id: ids.directContract }],
      invoices: [{ id: ids.directInvoice }],
      invoicesOfDirect: [{ id: ids.directInvoice }],
    });
  });

  it('shows another customer nothing of the direct customer', async () => {
    const seen = await kit.ok('customer_admin', EVERYTHING, variables(), { customerId: otherDirect });
    expect(seen).toMatchObject({ customers: [{ id: otherDirect }], directCustomer: null, directQuote: null, directContract: null, directInvoice: null, quotes: [], contracts: [], invoices: [] });
  });

  it('shows a partner’s customer its contract but no invoice: its partner bills it', async () => {
    const seen = await kit.ok('customer_admin', EVERYTHING, variables(), { customerId: partnerCustomer });
    expect(seen).toMatchObject({ partnerContract: { id: ids.partnerContract }, partnerInvoice: null, invoices: [], directContract: null });
  });

  it('shows provider staff everything', async () => {
    const seen = await kit.ok('sales', EVERYTHING, variables());
    expect(seen.directInvoice).toEqual({ id: ids.directInvoice });
    expect(seen.partnerInvoice.id).toBe(ids.partnerInvoice);
    expect(idsOf(seen.customers)).toEqual(expect.arrayContaining([direct, otherDirect, partnerCustomer].sort()));
  });

  it('resolves federated references to another tenant’s customer as null', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id } } }`;
    const r = { r: [{ __typename: 'Customer', id: direct }, { __typename: 'Customer', id: partnerCustomer }] };
    expect((await kit.ok('partner_admin', query, r, { partnerId: partner }))._entities).toEqual([null, { id: partnerCustomer }]);
    const objects = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Quote { id } ... on Contract { id } ... on Invoice { id } } }`;
    const refs = {
      r: [
        { __typename: 'Quote', id: ids.directQuote },
        { __typename: 'Contract', id: ids.directContract },
        { __typename: 'Invoice', id: ids.directInvoice },
        { __typename: 'Contract', id: ids.partnerContract },
        { __typename: 'Invoice', id: ids.partnerInvoice },
      ],
    };
    expect((await kit.ok('partner_admin', objects, refs, { partnerId: partner }))._entities).toEqual([null, null, null, { id: ids.partnerContract }, { id: ids.partnerInvoice }]);
  });

  it('refuses a partner acting on the direct customer’s quote and contract as if they did not exist', async () => {
    const as = { partnerId: partner };
    const accept = await kit.gql('partner_admin', `mutation($id: ID!) { acceptQuote(id: $id, termsVersion: "1.1") { id } }`, { id: ids.directQuote }, as);
    expect(accept.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' }, message: `quote ${ids.directQuote} not found` });
    const terminate = await kit.gql('partner_admin', `mutation($id: ID!) { terminateContract(id: $id, endDate: "2029-12-31") { id } }`, { id: ids.directContract }, as);
    expect(terminate.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: `contract ${ids.directContract} not found` });
    const quote = await kit.gql('partner_admin', `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }`, { i: { customerId: direct, plan: 'MDR', endpointCount: 3, startDate: '2029-03-01' } }, as);
    expect(quote.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'CUSTOMER_NOT_FOUND', field: 'customerId' });
    const billing = await kit.gql('partner_admin', `mutation { runBilling(period: "2029-01") { id } }`, {}, as);
    expect(billing.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('lets customers read but not quote', async () => {
    const r = await kit.gql('customer_admin', `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }`, { i: { customerId: direct, plan: 'MDR', endpointCount: 3, startDate: '2029-03-01' } }, { customerId: direct });
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await createQuote(kit, { customerId: direct, plan: 'MDR', endpointCount: 3, startDate: '2029-03-01' })).toMatchObject({ customerId: direct });
  });
});
