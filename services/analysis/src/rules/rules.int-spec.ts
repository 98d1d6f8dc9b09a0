// Detection rules through the subgraph against the real database: Sigma YAML in, versions, the
// shipped pack applied at boot, per-customer settings, and provider staff only.
import { randomUUID } from 'node:crypto';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { RuleEvaluationService } from './evaluation/rule-evaluation.service';
import { readPack } from './pack/rule-pack';
import { RulePackService } from './pack/rule-pack.service';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

const FIELDS = 'id name description products severity enabled yaml version level attackTechniques tags lastError';
const CREATE = `mutation($i: CreateDetectionRuleInput!) { createDetectionRule(input: $i) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateDetectionRuleInput!) { updateDetectionRule(id: $id, input: $i) { ${FIELDS} } }`;
const SET = `mutation($r: ID!, $c: ID!, $e: Boolean!) { setDetectionRuleForCustomer(ruleId: $r, customerId: $c, enabled: $e) { id } }`;
const TEST = `query($y: String!, $e: [JSON!]!) { testDetectionRule(yaml: $y, events: $e) { index matched selections product } }`;
const LIST = `{ detectionRules { id name level version } }`;

const yaml = (title: string, extra = '') => `title: ${title}
level: high
tags: [attack.t1190]
logsource: { product: fortigate }
detection:
  ips: { fortinet.firewall.subtype: ips }
  condition: ips
${extra}`;
const countTitled = async (name: string) => Number((await kit.ds.query(`SELECT count(*) AS n FROM analysis.detection_rule WHERE name = $1`, [name]))[0].n);

describe('the shipped pack', () => {
  it('is applied at boot: every pack file is an enabled rule at version 1', async () => {
    const { detectionRules } = await kit.ok('engineer', LIST);
    const pack = readPack();
    const titles = detectionRules.map((r: { name: string }) => r.name);
    for (const f of pack) expect(titles).toContain(/^title: (.*)$/m.exec(f.yaml)![1]);
  });

  it('applies again without a change, and makes a new version only when a file changed', async () => {
    const sync = kit.app.get(RulePackService);
    expect(await sync.sync()).toEqual({ added: 0, updated: 0, removed: 0 });
    const files = readPack();
    const changed = files.map((f, k) => (k === 0 ? { ...f, yaml: f.yaml.replace(/^status: stable$/m, 'status: test'), hash: `${f.hash}-2` } : f));
    expect(await sync.sync(changed)).toEqual({ added: 0, updated: 1, removed: 0 });
    const [row] = await kit.ds.query(`SELECT version, yaml FROM analysis.detection_rule WHERE pack_file = $1`, [files[0].file]);
    expect(row.version).toBe(2);
    expect(row.yaml).toContain('status: test');
    expect(await sync.sync(files)).toEqual({ added: 0, updated: 1, removed: 0 });
  });

  it('converted the three seeded JSON rules to YAML', async () => {
    const rows: { yaml: string; level: string }[] = await kit.ds.query(`SELECT yaml, level FROM analysis.detection_rule WHERE created_by = 'seed' ORDER BY name`);
    expect(rows).toHaveLength(3);
    expect(rows[0].yaml).toContain('event.severity|gte: 73');
    expect(rows[0].yaml).toContain('event.outcome: "success"');
  });
});

describe('createDetectionRule and updateDetectionRule', () => {
  it('adds a rule from YAML at version 1, and each update is the next version', async () => {
    const title = `zz IPS ${randomUUID()}`;
    const { createDetectionRule: r } = await kit.ok('analyst', CREATE, { i: { yaml: yaml(title) } });
    expect(r).toMatchObject({ name: title, products: ['FORTIGATE'], severity: 'HIGH', level: 'HIGH', version: 1, enabled: true, attackTechniques: ['T1190'], tags: ['attack.t1190'], lastError: null });
    const { updateDetectionRule: u } = await kit.ok('provider_admin', UPDATE, { id: r.id, i: { yaml: yaml(title).replace('level: high', 'level: medium') } });
    expect(u).toMatchObject({ version: 2, level: 'MEDIUM', severity: 'MEDIUM' });
    const { updateDetectionRule: off } = await kit.ok('analyst', UPDATE, { id: r.id, i: { enabled: false } });
    expect(off).toMatchObject({ version: 3, enabled: false, level: 'MEDIUM' });
    const versions = await kit.ds.query(`SELECT version FROM analysis.detection_rule_version WHERE rule_id = $1 ORDER BY version`, [r.id]);
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
  });

  it('refuses an unknown modifier as BAD_USER_INPUT with line and column, and writes nothing', async () => {
    const title = `zz bad ${randomUUID()}`;
    const r = await kit.gql('analyst', CREATE, { i: { yaml: yaml(title).replace('subtype: ips', 'subtype|contanis: ips') } });
    expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^6:36 unknown modifier "contanis"/), extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_RULE', field: 'yaml' } });
    expect(await countTitled(title)).toBe(0);
  });

  it('refuses a second rule with a taken title as CONFLICT', async () => {
    const title = `zz twice ${randomUUID()}`;
    await kit.ok('analyst', CREATE, { i: { yaml: yaml(title) } });
    const r = await kit.gql('analyst', CREATE, { i: { yaml: yaml(title) } });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'RULE_TITLE_TAKEN' } });
  });

  it('answers NOT_FOUND for an update of a rule that does not exist', async () => {
    const r = await kit.gql('analyst', UPDATE, { id: randomUUID(), i: { enabled: false } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'RULE_NOT_FOUND' });
  });

  it('is FORBIDDEN to an engineer, and writes nothing', async () => {
    const title = `zz engineer ${randomUUID()}`;
    const r = await kit.gql('engineer', CREATE, { i: { yaml: yaml(title) } });
    expect(r.errors?.[0]).toMatchObject({ message: 'role engineer may not create detection rules', extensions: { code: 'FORBIDDEN' } });
    expect(await countTitled(title)).toBe(0);
  });
});

describe('setDetectionRuleForCustomer', () => {
  it('turns a rule off for one customer only: the consumer’s rule set for that customer lacks it', async () => {
    const { customerId: a } = await kit.createCustomer();
    const { customerId: b } = await kit.createCustomer();
    const { createDetectionRule: r } = await kit.ok('analyst', CREATE, { i: { yaml: yaml(`zz per customer ${randomUUID()}`) } });
    await kit.ok('analyst', SET, { r: r.id, c: a, e: false });
    const evaluation = kit.app.get(RuleEvaluationService);
    evaluation.invalidate();
    expect((await evaluation.rulesFor(a)).rules.map((x) => x.id)).not.toContain(r.id);
    expect((await evaluation.rulesFor(b)).rules.map((x) => x.id)).toContain(r.id);
    await kit.ok('analyst', SET, { r: r.id, c: a, e: true });
    evaluation.invalidate();
    expect((await evaluation.rulesFor(a)).rules.map((x) => x.id)).toContain(r.id);
  });

  it('answers NOT_FOUND for a customer the directory does not know', async () => {
    const { createDetectionRule: r } = await kit.ok('analyst', CREATE, { i: { yaml: yaml(`zz unknown customer ${randomUUID()}`) } });
    const res = await kit.gql('analyst', SET, { r: r.id, c: randomUUID(), e: false });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'customerId' });
  });
});

describe('testDetectionRule', () => {
  it('says which events match, for an engineer too, saving nothing', async () => {
    const title = `zz test ${randomUUID()}`;
    const { testDetectionRule } = await kit.ok('engineer', TEST, {
      y: yaml(title),
      e: [{ kanshi: { product: 'FORTIGATE' }, fortinet: { firewall: { subtype: 'ips' } } }, { kanshi: { product: 'FORTIGATE' }, fortinet: { firewall: { subtype: 'virus' } } }],
    });
    expect(testDetectionRule).toEqual([
      { index: 0, matched: true, selections: ['ips'], product: 'FORTIGATE' },
      { index: 1, matched: false, selections: [], product: 'FORTIGATE' },
    ]);
    expect(await countTitled(title)).toBe(0);
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
    const t = await kit.gql(role, TEST, { y: yaml('x'), e: [] }, ids);
    expect(t.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
