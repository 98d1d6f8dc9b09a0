// The narrowed provider roles of the contracts domain (docs/security.md "Role matrix"): billing is
// provider_admin's and sales' (and each tenant's own invoices), activation provider_admin's and
// engineers', isolation pre-approval the customer's admin's and provider_admin's, partner prices
// provider_admin's. This spec bills 2031; no other spec has contracts in service then.
import { randomUUID } from 'node:crypto';
import { Principal, Role } from '@kanshi/auth';
import { acceptQuote, activeContract, ContractsKit, createCustomer, createPartner, createQuote, runBilling, startContracts } from './contracts.int-kit';
import { InvoicesService } from './invoices/invoices.service';

let kit: ContractsKit;
let partner: string;
let partnerCustomer: string;
let direct: string;
let otherDirect: string;
const invoiceOf = {} as Record<'direct' | 'otherDirect' | 'partner', string>;

beforeAll(async () => {
  kit = await startContracts({ now: '2031-01-01T09:00:00+09:00' });
  partner = (await createPartner(kit, { name: 'ロールのパートナー株式会社' })).id;
  partnerCustomer = (await createCustomer(kit, { name: 'パートナーの顧客株式会社', partnerId: partner })).id;
  direct = (await createCustomer(kit, { name: '直販の顧客株式会社' })).id;
  otherDirect = (await createCustomer(kit, { name: '別の直販の顧客株式会社' })).id;
  for (const customerId of [direct, otherDirect, partnerCustomer]) await activeContract(kit, customerId, { plan: 'FE_SECURITY_MONITORING', startDate: '2031-01-01' }, '2031-01-01');
  kit.clock.set('2031-02-01T09:00:00+09:00');
  const { invoices } = await runBilling(kit, '2031-01');
  const to = (id: string) => invoices.find((i: { recipient: { id: string } }) => i.recipient.id === id).id;
  Object.assign(invoiceOf, { direct: to(direct), otherDirect: to(otherDirect), partner: to(partner) });
});
afterAll(() => kit.close());

const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

describe('invoices and billing runs', () => {
  it.each(['analyst', 'engineer'] as Role[])('are refused to %s (no business with billing), whichever way they are asked for', async (role) => {
    for (const query of ['{ invoices { id } }', '{ invoicePage { edges { node { id } } } }', `{ invoice(id: "${invoiceOf.direct}") { id } }`, '{ billingRuns { id } }']) {
      const r = await kit.gql(role, query);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(new RegExp(`^role ${role} may not read (invoices|billing runs)$`)) });
      expect(Object.values(r.data ?? {}).filter((v) => v !== null)).toEqual([]);
    }
  });

  it('billing runs are provider_admin\'s and sales\', with every invoice of the period', async () => {
    for (const role of ['provider_admin', 'sales'] as Role[]) {
      const { billingRuns } = await kit.ok(role, `{ billingRuns(period: "2031-01") { period invoices { id } } }`);
      expect(billingRuns[0].invoices.map((i: { id: string }) => i.id).sort()).toEqual(Object.values(invoiceOf).sort());
    }
    for (const [role, ids] of [['partner_admin', { partnerId: partner }], ['customer_admin', { customerId: direct }], ['customer_viewer', { customerId: direct }]] as const) {
      expect(code(await kit.gql(role, '{ billingRuns { id } }', {}, ids))).toBe('FORBIDDEN');
    }
  });

  it('a partner and a customer read only the invoices addressed to them', async () => {
    const mine = async (role: Role, ids: Record<string, string>) => ((await kit.ok(role, `{ invoices(period: "2031-01") { id } }`, {}, ids)).invoices as { id: string }[]).map((i) => i.id);
    expect(await mine('partner_admin', { partnerId: partner })).toEqual([invoiceOf.partner]);
    expect(await mine('customer_admin', { customerId: direct })).toEqual([invoiceOf.direct]);
    expect(await mine('customer_viewer', { customerId: otherDirect })).toEqual([invoiceOf.otherDirect]);
    expect((await kit.ok('customer_admin', `{ invoice(id: "${invoiceOf.otherDirect}") { id } }`, {}, { customerId: direct })).invoice).toBeNull();
  });

  it('BillingRun.invoices checks each invoice like invoices does: the role, then the tenant', async () => {
    const service = kit.app.get(InvoicesService);
    const principal = (role: Role, extra: Record<string, string> = {}) => Principal.fromClaims({ sub: `t-${role}`, role, ...extra }, 'token');
    expect((await service.invoicesOfPeriod(principal('customer_admin', { customerId: direct }), '2031-01')).map((i) => i.id)).toEqual([invoiceOf.direct]);
    expect((await service.invoicesOfPeriod(principal('partner_admin', { partnerId: partner }), '2031-01')).map((i) => i.id)).toEqual([invoiceOf.partner]);
    await expect(service.invoicesOfPeriod(principal('analyst'), '2031-01')).rejects.toMatchObject({ kind: 'FORBIDDEN', message: 'role analyst may not read invoices' });
  });
});

describe('activating a contract (which starts billing)', () => {
  it('is refused to analysts, sales, partners and customers, allowed to engineers and provider_admin', async () => {
    const customerId = (await createCustomer(kit, { partnerId: partner })).id;
    const quote = await createQuote(kit, { customerId, plan: 'FE_SECURITY_MONITORING', startDate: '2031-03-01' });
    const contract = await acceptQuote(kit, quote.id, { escalationContacts: [{ name: '窓口', phone: '03-0000-0000' }] });
    const activate = `mutation($id: ID!) { activateContract(id: $id) { id } }`;
    for (const [role, ids] of [['analyst', {}], ['sales', {}], ['partner_admin', { partnerId: partner }], ['customer_admin', { customerId }]] as const) {
      const r = await kit.gql(role, activate, { id: contract.id }, ids);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: `role ${role} may not activate contracts` });
    }
    // Engineers and provider_admin get past the role check (onboarding is what stops them here).
    for (const role of ['engineer', 'provider_admin'] as Role[]) expect(code(await kit.gql(role, activate, { id: contract.id }))).toBe('CONFLICT');
  });
});

describe('isolation pre-approval', () => {
  const update = `mutation($id: ID!, $i: ContractSetupInput!) { updateContract(id: $id, input: $i) { isolationPreApproved isolationOnAutomaticVerdicts monitoredProducts } }`;
  const read = async (id: string) => (await kit.ok('provider_admin', `query($id: ID!) { contract(id: $id) { isolationPreApproved isolationOnAutomaticVerdicts } }`, { id })).contract;

  it('is set by the customer\'s admin on its own contract and by provider_admin, never by sales, engineers or partners', async () => {
    const customerId = (await createCustomer(kit, { partnerId: partner })).id;
    const quote = await createQuote(kit, { customerId, plan: 'MDR', endpointCount: 10, startDate: '2031-03-01' });
    const contract = await acceptQuote(kit, quote.id, { monitoredProducts: ['FORTIGATE'] });
    const refusedTo: [Role, Record<string, string>][] = [
      ['sales', {}],
      ['engineer', {}],
      ['partner_admin', { partnerId: partner }],
    ];
    for (const [role, ids] of refusedTo) {
      for (const i of [{ isolationPreApproved: true }, { isolationOnAutomaticVerdicts: true }]) {
        const r = await kit.gql(role, update, { id: contract.id, i }, ids);
        expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: `role ${role} may not set isolation pre-approval (isolationPreApproved, isolationOnAutomaticVerdicts)` });
      }
    }
    expect(await read(contract.id)).toEqual({ isolationPreApproved: false, isolationOnAutomaticVerdicts: false });
    // Another customer's admin does not even see the contract.
    expect(code(await kit.gql('customer_admin', update, { id: contract.id, i: { isolationPreApproved: true } }, { customerId: direct }))).toBe('NOT_FOUND');

    const { updateContract } = await kit.ok('customer_admin', update, { id: contract.id, i: { isolationPreApproved: true, isolationOnAutomaticVerdicts: true } }, { customerId });
    expect(updateContract).toMatchObject({ isolationPreApproved: true, isolationOnAutomaticVerdicts: true });
    // The others still change what is theirs, when the pre-approval is left as it is.
    const { updateContract: byEngineer } = await kit.ok('engineer', update, { id: contract.id, i: { monitoredProducts: ['FORTIGATE', 'CROWDSTRIKE_FALCON'], isolationPreApproved: true } });
    expect(byEngineer).toEqual({ isolationPreApproved: true, isolationOnAutomaticVerdicts: true, monitoredProducts: ['FORTIGATE', 'CROWDSTRIKE_FALCON'] });
    // Turning it off is the same decision.
    expect(code(await kit.gql('sales', update, { id: contract.id, i: { isolationPreApproved: false } }))).toBe('FORBIDDEN');
    await kit.ok('provider_admin', update, { id: contract.id, i: { isolationPreApproved: false, isolationOnAutomaticVerdicts: false } });
    expect(await read(contract.id)).toEqual({ isolationPreApproved: false, isolationOnAutomaticVerdicts: false });
  });

  it('cannot be given on acceptQuote by sales or a partner; the customer\'s admin can', async () => {
    const accept = `mutation($id: ID!, $s: ContractSetupInput) { acceptQuote(id: $id, termsVersion: "1.1", setup: $s) { id isolationPreApproved } }`;
    const sentQuote = async (customerId: string) => {
      const quote = await createQuote(kit, { customerId, plan: 'MDR', endpointCount: 10, startDate: '2031-03-01' });
      await kit.ok('sales', `mutation($id: ID!) { sendQuote(id: $id) { id } }`, { id: quote.id });
      return quote.id as string;
    };
    const customerId = (await createCustomer(kit)).id;
    const quoteId = await sentQuote(customerId);
    const partnerQuoteId = await sentQuote((await createCustomer(kit, { partnerId: partner })).id);
    for (const [role, id, ids] of [['sales', quoteId, {}], ['partner_admin', partnerQuoteId, { partnerId: partner }]] as const) {
      const r = await kit.gql(role, accept, { id, s: { isolationPreApproved: true } }, ids);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: `role ${role} may not set isolation pre-approval (isolationPreApproved, isolationOnAutomaticVerdicts)` });
    }
    const { acceptQuote: accepted } = await kit.ok('customer_admin', accept, { id: quoteId, s: { isolationPreApproved: true } }, { customerId });
    expect(accepted.isolationPreApproved).toBe(true);
  });
});

describe('partner prices', () => {
  it('sales registers a partner but may not give it a discount or wholesale prices; provider_admin may', async () => {
    const create = `mutation($i: CreatePartnerInput!) { createPartner(input: $i) { id discountBps } }`;
    const name = () => `パートナー ${randomUUID().slice(0, 8)}`;
    for (const priced of [{ discountBps: 1500 }, { wholesalePrices: [{ plan: 'MDR', perEndpointMonthlyFee: 1_000 }] }]) {
      const r = await kit.gql('sales', create, { i: { name: name(), ...priced } });
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: 'role sales may not set partner prices' });
    }
    expect((await kit.ok('sales', create, { i: { name: name() } })).createPartner.discountBps).toBe(0);
    expect((await kit.ok('provider_admin', create, { i: { name: name(), discountBps: 1500 } })).createPartner.discountBps).toBe(1500);
  });
});
