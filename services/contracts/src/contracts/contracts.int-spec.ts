// A quote becomes a contract under the terms in force, goes through onboarding fed by
// ingestion's sensor events, is activated by provider staff and terminated, and every step
// reaches the other services as an event (outbox, then JetStream).
import { createHash, randomUUID } from 'node:crypto';
import { ContractActivated, ContractChanged, ContractTerminated, SensorFirstEventReceived, SensorRegistered } from '@kanshi/events';
import { eventually } from '@kanshi/testing';
import { acceptQuote, CONTRACT_FIELDS, ContractsKit, createCustomer, createPartner, createQuote, outboxEvents, sendQuote, startContracts } from '../contracts.int-kit';

let kit: ContractsKit;
const NOW = '2027-03-01T10:00:00+09:00';

beforeAll(async () => {
  // March 2027; the terms published here take effect in 2032, after every other spec's dates.
  kit = await startContracts({ now: NOW, messaging: true });
});
afterAll(() => kit.close());
afterEach(() => kit.clock.set(NOW));

const contractQuery = `query($id: ID!) { contract(id: $id) { ${CONTRACT_FIELDS} } }`;
const readContract = async (id: string) => (await kit.ok('engineer', contractQuery, { id })).contract;

describe('terms versions', () => {
  it('has version 1.1 of 2017-02-01 in force, with the SHA-256 of its text', async () => {
    const { termsVersions } = await kit.ok('customer_viewer', `{ termsVersions { version effectiveDate text sha256 current } }`, {}, { customerId: randomUUID() });
    const v11 = termsVersions.find((t: { version: string }) => t.version === '1.1');
    expect(v11).toMatchObject({ effectiveDate: '2017-02-01', current: true });
    expect(v11.sha256).toBe(createHash('sha256').update(v11.text, 'utf8').digest('hex'));
  });
});

describe('from quote to active contract', () => {
  it('accepts a quote under terms 1.1, onboards through sensor events, activates, and announces each step', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'FE_ALERT_ANALYSIS', serviceHours: 'ALWAYS', options: ['LIVENESS_MONITORING'], startDate: '2027-03-16' });
    const customerAdmin = { customerId: customer.id };

    const contract = await acceptQuote(
      kit,
      quote.id,
      {
        monitoredProducts: ['FIREEYE_NX'],
        escalationContacts: [
          { name: '情報システム部 佐藤', phone: '03-1111-2222', email: 'sato@customer.example.jp', language: 'JA' },
          { name: 'CISO Smith', email: 'smith@customer.example.jp', language: 'EN' },
        ],
        isolationPreApproved: true,
      },
      'customer_admin',
      customerAdmin,
    );
    expect(contract).toMatchObject({
      quoteId: quote.id,
      plan: 'FE_ALERT_ANALYSIS',
      status: 'PENDING_ONBOARDING',
      startDate: '2027-03-16',
      serviceStartDate: null,
      logRetentionMonths: 3,
      isolationPreApproved: true,
      escalationContacts: [
        { order: 1, name: '情報システム部 佐藤', phone: '03-1111-2222', email: 'sato@customer.example.jp', language: 'JA' },
        { order: 2, name: 'CISO Smith', phone: null, email: 'smith@customer.example.jp', language: 'EN' },
      ],
      onboarding: { sensorsRegistered: false, firstEventsReceived: false, contactsConfirmed: false, complete: false },
    });
    const { termsVersions } = await kit.ok('sales', `{ termsVersions { version sha256 } }`);
    expect(contract.termsAcceptances).toEqual([
      { termsVersion: '1.1', sha256: termsVersions.find((t: { version: string }) => t.version === '1.1').sha256, acceptedBy: 'test-customer_admin', acceptedByRole: 'customer_admin', acceptedAt: expect.any(String) },
    ]);
    expect((await kit.ok('sales', `query($id: ID!) { quote(id: $id) { status } }`, { id: quote.id })).quote.status).toBe('ACCEPTED');

    // Not complete yet: activation is refused with what is missing.
    const early = await kit.gql('engineer', `mutation($id: ID!) { activateContract(id: $id) { id } }`, { id: contract.id });
    expect(early.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringContaining('register at least one sensor') });

    // Ingestion registers the sensor, then sees its first event.
    const sensorId = randomUUID();
    await kit.publish(SensorRegistered, { sensorId, product: 'FIREEYE_NX', name: 'FireEye NX 本社' }, customer.id);
    await eventually(async () => expect((await readContract(contract.id)).onboarding).toMatchObject({ sensorsRegistered: true, firstEventsReceived: false }));
    await kit.publish(SensorFirstEventReceived, { sensorId, at: '2027-03-02T01:00:00.000Z' }, customer.id);
    await eventually(async () => expect((await readContract(contract.id)).onboarding).toMatchObject({ firstEventsReceived: true, missing: ['confirm the escalation contacts'] }));

    await kit.ok('customer_admin', `mutation($id: ID!) { confirmEscalationContacts(id: $id) { id } }`, { id: contract.id }, customerAdmin);
    expect((await readContract(contract.id)).onboarding).toEqual({ sensorsRegistered: true, firstEventsReceived: true, contactsConfirmed: true, complete: true, missing: [] });

    // Customers do not activate; provider staff do.
    const byCustomer = await kit.gql('customer_admin', `mutation($id: ID!) { activateContract(id: $id) { id } }`, { id: contract.id }, customerAdmin);
    expect(byCustomer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    kit.clock.set('2027-03-10T11:00:00+09:00');
    const { activateContract } = await kit.ok('engineer', `mutation($id: ID!) { activateContract(id: $id) { status activatedAt serviceStartDate } }`, { id: contract.id });
    // Activated before the start date: service (and billing) starts on the start date.
    expect(activateContract).toMatchObject({ status: 'ACTIVE', serviceStartDate: '2027-03-16' });

    const expected = {
      contractId: contract.id,
      customerId: customer.id,
      partnerId: null,
      plan: 'FE_ALERT_ANALYSIS',
      serviceHours: 'ALWAYS',
      options: ['LIVENESS_MONITORING'],
      livenessMonitoring: true,
      monitoredProducts: ['FIREEYE_NX'],
      escalationContacts: [
        { order: 1, name: '情報システム部 佐藤', phone: '03-1111-2222', email: 'sato@customer.example.jp', language: 'ja' },
        { order: 2, name: 'CISO Smith', email: 'smith@customer.example.jp', language: 'en' },
      ],
      isolationPreApproved: true,
      isolationOnAutomaticVerdicts: false,
      logRetentionMonths: 3,
      status: 'active',
      startDate: '2027-03-16',
      endDate: null,
    };
    const activated = await outboxEvents(kit, ContractActivated.subject, customer.id);
    expect(activated).toEqual([expect.objectContaining({ customerId: customer.id, body: expected })]);
    // The relay publishes it to JetStream, where the other services read it.
    await eventually(async () => expect(await kit.lastPublished(ContractActivated)).toMatchObject({ eventId: activated[0].eventId, body: expected }));
    expect((await outboxEvents(kit, ContractChanged.subject, customer.id)).map((e) => e.body.status)).toEqual(['pending_onboarding']);
  });

  it('counts only the monitored products, and asks again for contacts changed after confirmation', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 20, startDate: '2027-04-01' });
    const contract = await acceptQuote(kit, quote.id, { monitoredProducts: ['CROWDSTRIKE_FALCON', 'FORTIGATE'], escalationContacts: [{ name: 'SOC窓口', phone: '03-0000-0000' }] });
    await kit.publish(SensorRegistered, { sensorId: randomUUID(), product: 'CROWDSTRIKE_FALCON', name: 'Falcon' }, customer.id);
    await eventually(async () => expect((await readContract(contract.id)).onboarding.missing).toContain('register a sensor for FORTIGATE'));

    await kit.ok('sales', `mutation($id: ID!) { confirmEscalationContacts(id: $id) { id } }`, { id: contract.id });
    expect((await readContract(contract.id)).onboarding.contactsConfirmed).toBe(true);
    const update = `mutation($id: ID!, $i: ContractSetupInput!) { updateContract(id: $id, input: $i) { logRetentionMonths onboarding { contactsConfirmed } escalationContacts { name } } }`;
    // keeping raw logs beyond the plan's 3 months is a priced change: not the customer's own to make
    const longer = await kit.gql('customer_admin', update, { id: contract.id, i: { logRetentionMonths: 120 } }, { customerId: customer.id });
    expect(longer.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining("keep raw logs longer than the plan's 3 months") });
    expect((await readContract(contract.id)).logRetentionMonths).toBe(3);
    const { updateContract: byCustomer } = await kit.ok('customer_admin', update, { id: contract.id, i: { escalationContacts: [{ name: '新しい窓口', email: 'new@customer.example.jp' }] } }, { customerId: customer.id });
    expect(byCustomer).toEqual({ logRetentionMonths: 3, onboarding: { contactsConfirmed: false }, escalationContacts: [{ name: '新しい窓口' }] });
    const { updateContract } = await kit.ok('sales', update, { id: contract.id, i: { logRetentionMonths: 6 } });
    expect(updateContract).toEqual({ logRetentionMonths: 6, onboarding: { contactsConfirmed: false }, escalationContacts: [{ name: '新しい窓口' }] });
    expect((await outboxEvents(kit, ContractChanged.subject, customer.id)).map((e) => e.body.logRetentionMonths)).toEqual([3, 3, 6]);
  });

  it('refuses a wrong terms version and a foreign quote, writing nothing', async () => {
    const partner = await createPartner(kit);
    const direct = await createCustomer(kit);
    const quote = await createQuote(kit, { customerId: direct.id, plan: 'MDR', endpointCount: 5, startDate: '2027-04-01' });
    await sendQuote(kit, quote.id);
    const accept = `mutation($id: ID!, $v: String!) { acceptQuote(id: $id, termsVersion: $v) { id } }`;

    const wrong = await kit.gql('sales', accept, { id: quote.id, v: '1.0' });
    expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'termsVersion' }, message: expect.stringContaining('1.1') });
    const foreign = await kit.gql('partner_admin', accept, { id: quote.id, v: '1.1' }, { partnerId: partner.id });
    expect(foreign.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' }, message: `quote ${quote.id} not found` });
    const missing = await kit.gql('sales', accept, { id: randomUUID(), v: '1.1' });
    expect(missing.errors?.[0].message).toMatch(/^quote .* not found$/);

    expect(await kit.ds.query(`SELECT id FROM contracts.contract WHERE quote_id = $1`, [quote.id])).toEqual([]);
    expect(await kit.ds.query(`SELECT id FROM contracts.terms_acceptance WHERE customer_id = $1`, [direct.id])).toEqual([]);
    expect((await kit.ok('sales', `query($id: ID!) { quote(id: $id) { status } }`, { id: quote.id })).quote.status).toBe('SENT');
  });

  it('refuses bad contract settings naming the field', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 5, startDate: '2027-04-01' });
    await sendQuote(kit, quote.id);
    const accept = `mutation($id: ID!, $s: ContractSetupInput) { acceptQuote(id: $id, termsVersion: "1.1", setup: $s) { id } }`;
    const product = await kit.gql('sales', accept, { id: quote.id, s: { monitoredProducts: ['FIREEYE_NX', 'TOASTER'] } });
    expect(product.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'monitoredProducts.1' });
    const contact = await kit.gql('sales', accept, { id: quote.id, s: { escalationContacts: [{ name: '連絡先なし' }] } });
    expect(contact.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'escalationContacts.0' });
    const retention = await kit.gql('sales', accept, { id: quote.id, s: { logRetentionMonths: 0 } });
    expect(retention.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'logRetentionMonths' });
    expect((await kit.ok('sales', `query($id: ID!) { quote(id: $id) { status } }`, { id: quote.id })).quote.status).toBe('SENT');
  });
});

describe('termination', () => {
  it('ends the contract on a date and tells the other services', async () => {
    const partner = await createPartner(kit);
    const customer = await createCustomer(kit, { partnerId: partner.id });
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'FE_SECURITY_MONITORING', startDate: '2027-03-05' });
    const contract = await acceptQuote(kit, quote.id);
    const terminate = `mutation($id: ID!, $d: Date!) { terminateContract(id: $id, endDate: $d) { status endDate } }`;

    const before = await kit.gql('sales', terminate, { id: contract.id, d: '2027-03-04' });
    expect(before.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endDate' });
    const stranger = await kit.gql('partner_admin', terminate, { id: contract.id, d: '2027-09-30' }, { partnerId: (await createPartner(kit)).id });
    expect(stranger.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const { terminateContract } = await kit.ok('partner_admin', terminate, { id: contract.id, d: '2027-09-30' }, { partnerId: partner.id });
    expect(terminateContract).toEqual({ status: 'TERMINATED', endDate: '2027-09-30' });
    const again = await kit.gql('sales', terminate, { id: contract.id, d: '2027-10-31' });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await outboxEvents(kit, ContractTerminated.subject, customer.id)).map((e) => e.body)).toEqual([
      expect.objectContaining({ contractId: contract.id, partnerId: partner.id, status: 'terminated', endDate: '2027-09-30', livenessMonitoring: true }),
    ]);
  });
});

describe('publishing new terms', () => {
  it('publishes 2.0, which new contracts then accept; running contracts record their acceptance', async () => {
    const customer = await createCustomer(kit);
    const running = await acceptQuote(kit, (await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 5, startDate: '2027-04-01' })).id);
    const publish = `mutation($i: PublishTermsVersionInput!) { publishTermsVersion(input: $i) { version effectiveDate sha256 current } }`;
    const text = 'セキュリティ監視サービス利用規約 第2.0版 / Terms version 2.0';
    const input = { version: '2.0', effectiveDate: '2032-04-01', title: '利用規約 第2.0版', text };

    expect((await kit.gql('sales', publish, { i: input })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { publishTermsVersion } = await kit.ok('provider_admin', publish, { i: input });
    expect(publishTermsVersion).toEqual({ version: '2.0', effectiveDate: '2032-04-01', sha256: createHash('sha256').update(text).digest('hex'), current: false });
    const duplicate = await kit.gql('provider_admin', publish, { i: { ...input, effectiveDate: '2032-05-01' } });
    expect(duplicate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });

    kit.clock.set('2032-04-01T09:00:00+09:00');
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 5, startDate: '2032-05-01' });
    await sendQuote(kit, quote.id);
    const old = await kit.gql('sales', `mutation($id: ID!) { acceptQuote(id: $id, termsVersion: "1.1") { id } }`, { id: quote.id });
    expect(old.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'termsVersion' });
    const { acceptQuote: fresh } = await kit.ok('sales', `mutation($id: ID!) { acceptQuote(id: $id, termsVersion: "2.0") { termsAcceptances { termsVersion sha256 } } }`, { id: quote.id });
    expect(fresh.termsAcceptances).toEqual([{ termsVersion: '2.0', sha256: publishTermsVersion.sha256 }]);

    const { acceptTerms } = await kit.ok('customer_admin', `mutation($id: ID!) { acceptTerms(contractId: $id, termsVersion: "2.0") { termsAcceptances { termsVersion } } }`, { id: running.id }, { customerId: customer.id });
    expect(acceptTerms.termsAcceptances).toEqual([{ termsVersion: '1.1' }, { termsVersion: '2.0' }]);
    const { termsVersions } = await kit.ok('sales', `{ termsVersions { version current } }`);
    expect(termsVersions.filter((t: { current: boolean }) => t.current)).toEqual([{ version: '2.0', current: true }]);
  });
});
