// Detection rules through the subgraph against the real database: provider staff only, and a
// condition analysis cannot evaluate is refused.
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

const CREATE = `mutation($i: CreateDetectionRuleInput!) { createDetectionRule(input: $i) { id name description products severity condition enabled } }`;
const LIST = `{ detectionRules { id name severity } }`;
const countNamed = async (name: string) => Number((await kit.ds.query(`SELECT count(*) AS n FROM analysis.detection_rule WHERE name = $1`, [name]))[0].n);

describe('createDetectionRule', () => {
  it('adds an enabled rule that analysts and engineers then see', async () => {
    const { createDetectionRule } = await kit.ok('analyst', CREATE, {
      i: { name: 'zz FortiGate critical IPS', severity: 'HIGH', products: ['FORTIGATE'], condition: { field: 'event.severity', gte: 99 } },
    });
    expect(createDetectionRule).toMatchObject({ name: 'zz FortiGate critical IPS', description: '', products: ['FORTIGATE'], severity: 'HIGH', condition: { field: 'event.severity', gte: 99 }, enabled: true });
    const { detectionRules } = await kit.ok('engineer', LIST);
    expect(detectionRules).toContainEqual({ id: createDetectionRule.id, name: 'zz FortiGate critical IPS', severity: 'HIGH' });
  });

  it.each([
    ['no field', { gte: 3 }],
    ['no operator analysis knows', { field: 'event.severity', between: [1, 2] }],
  ])('refuses a condition with %s as BAD_USER_INPUT on condition, and writes nothing', async (_, condition) => {
    const r = await kit.gql('provider_admin', CREATE, { i: { name: 'bad condition', severity: 'LOW', condition } });
    expect(r.errors?.[0]).toMatchObject({
      message: 'condition must name a field and one of eq, gte, lte, in, contains, exists',
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_CONDITION', field: 'condition' },
    });
    expect(await countNamed('bad condition')).toBe(0);
  });

  it.each([
    ['an empty name', { name: '' }, 'name'],
    ['a severity that does not exist', { severity: 'CRITICAL' }, 'severity'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_, over, field) => {
    const r = await kit.gql('analyst', CREATE, { i: { name: 'x', severity: 'LOW', condition: { field: 'a', exists: true }, ...over } });
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toContain(field);
  });

  it('is FORBIDDEN to an engineer, and writes nothing', async () => {
    const r = await kit.gql('engineer', CREATE, { i: { name: 'engineer rule', severity: 'LOW', condition: { field: 'a', exists: true } } });
    expect(r.errors?.[0]).toMatchObject({ message: 'role engineer may not create detection rules', extensions: { code: 'FORBIDDEN', reason: 'FORBIDDEN' } });
    expect(await countNamed('engineer rule')).toBe(0);
  });
});

describe('detectionRules', () => {
  it.each([
    ['sales', {}],
    ['partner_admin', { partnerId: '00000000-0000-4000-8000-000000000001' }],
    ['customer_admin', { customerId: '00000000-0000-4000-8000-000000000002' }],
  ] as const)('is FORBIDDEN to %s: tenants never see rules', async (role, ids) => {
    const r = await kit.gql(role, LIST, {}, ids);
    expect(r.errors?.[0]).toMatchObject({ message: `role ${role} may not read detection rules`, extensions: { code: 'FORBIDDEN' } });
  });
});
