import { AccessError, Principal, Role } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { DetectionRuleEntity } from './detection-rule.entity';
import { RuleError } from './rules.errors';
import { RulesRepository, RuleWrite } from './rules.repository';
import { RulesService } from './rules.service';

const as = (role: Role) => Principal.fromClaims({ sub: `u-${role}`, role, partnerId: 'p1', customerId: 'c1' }, 't');

const YAML = `title: FortiGate IPS critical
level: critical
tags: [attack.t1190]
logsource: { product: fortigate }
detection:
  ips: { fortinet.firewall.subtype: ips }
  critical: { event.severity|gte: 99 }
  condition: ips and critical
`;

function setup() {
  const rules: DetectionRuleEntity[] = [];
  const repo = {
    list: jest.fn(async () => rules),
    findById: jest.fn(async (id: string) => rules.find((r) => r.id === id) ?? null),
    insert: jest.fn(async (w: RuleWrite, by: string) => {
      const rule = { id: `r${rules.length + 1}`, name: w.rule.title, yaml: w.yaml, version: 1, level: w.rule.level, attackTechniques: w.rule.attackTechniques, products: w.rule.products, enabled: true, createdBy: by } as DetectionRuleEntity;
      rules.push(rule);
      return rule;
    }),
    update: jest.fn(async (id: string, change: { write?: RuleWrite; enabled?: boolean }) => {
      const r = rules.find((x) => x.id === id);
      if (!r) return null;
      Object.assign(r, { version: r.version + 1, ...(change.write ? { yaml: change.write.yaml, name: change.write.rule.title } : {}), ...(change.enabled !== undefined ? { enabled: change.enabled } : {}) });
      return r;
    }),
    setForCustomer: jest.fn(async () => undefined),
  };
  const directory = {
    visibleCustomerOrThrow: jest.fn(async (_p: Principal, customerId: string) => {
      if (customerId !== 'c1') throw new AccessError('CUSTOMER_NOT_FOUND', `customer ${customerId} not found`, 'customerId');
      return { customerId, partnerId: null };
    }),
  };
  const sut = new RulesService(repo as unknown as RulesRepository, directory as unknown as TenantDirectory);
  return { sut, ctx: { repo, rules, directory } };
}

describe('RulesService.list', () => {
  it.each(['provider_admin', 'analyst', 'engineer'] as const)('shows %s every rule', async (role) => {
    const { sut, ctx } = setup();
    await sut.create(as('analyst'), { yaml: YAML });
    expect(await sut.list(as(role))).toEqual(ctx.rules);
  });

  it.each(['sales', 'partner_admin', 'customer_admin', 'customer_viewer'] as const)('refuses %s: tenants and sales never see rules', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.list(as(role))).rejects.toMatchObject({ kind: 'FORBIDDEN', code: AccessError.Code.FORBIDDEN, message: `role ${role} may not read detection rules` });
    expect(ctx.repo.list).not.toHaveBeenCalled();
  });
});

describe('RulesService.create', () => {
  it('saves the YAML with what it says: title, level, products, ATT&CK ids', async () => {
    const { sut, ctx } = setup();
    const rule = await sut.create(as('provider_admin'), { yaml: YAML });
    expect(rule).toMatchObject({ name: 'FortiGate IPS critical', level: 'critical', products: ['FORTIGATE'], attackTechniques: ['T1190'], version: 1, createdBy: 'u-provider_admin' });
    expect(ctx.repo.insert.mock.calls[0][0].yaml).toBe(YAML);
  });

  it('refuses an engineer and writes nothing', async () => {
    const { sut, ctx } = setup();
    await expect(sut.create(as('engineer'), { yaml: YAML })).rejects.toMatchObject({ kind: 'FORBIDDEN', message: 'role engineer may not create detection rules' });
    expect(ctx.repo.insert).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown modifier', YAML.replace('gte', 'greater'), /^7:30 unknown modifier "greater"/],
    ['an unmapped field', YAML.replace('fortinet.firewall.subtype', 'Subtype'), /^6:10 unknown field "Subtype"/],
    ['bad YAML', YAML.replace('[attack.t1190]', '[attack.t1190'), /^\d+:\d+ YAML: /],
  ])('refuses %s as INVALID_RULE with line and column, and writes nothing', async (_, yaml, message) => {
    const { sut, ctx } = setup();
    const err = await sut.create(as('analyst'), { yaml }).catch((e: unknown) => e);
    expect(RuleError.is(err, 'INVALID_RULE')).toBe(true);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', field: 'yaml', message: expect.stringMatching(message) });
    expect(ctx.repo.insert).not.toHaveBeenCalled();
  });
});

describe('RulesService.update', () => {
  it('makes a new version from new YAML or the enabled flag', async () => {
    const { sut } = setup();
    const { id } = await sut.create(as('analyst'), { yaml: YAML });
    expect(await sut.update(as('analyst'), id, { yaml: YAML.replace('IPS critical', 'IPS critical v2') })).toMatchObject({ version: 2, name: 'FortiGate IPS critical v2' });
    expect(await sut.update(as('provider_admin'), id, { enabled: false })).toMatchObject({ version: 3, enabled: false });
  });

  it('answers RULE_NOT_FOUND for a rule that does not exist, and INVALID_RULE for an empty change', async () => {
    const { sut } = setup();
    await expect(sut.update(as('analyst'), 'nope', { enabled: false })).rejects.toMatchObject({ kind: 'NOT_FOUND', code: 'RULE_NOT_FOUND', field: 'id' });
    await expect(sut.update(as('analyst'), 'nope', {})).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', code: 'INVALID_RULE' });
  });

  it('refuses an engineer', async () => {
    const { sut, ctx } = setup();
    await expect(sut.update(as('engineer'), 'r1', { enabled: false })).rejects.toMatchObject({ kind: 'FORBIDDEN', message: 'role engineer may not change detection rules' });
    expect(ctx.repo.update).not.toHaveBeenCalled();
  });
});

describe('RulesService.setForCustomer', () => {
  it('records the setting for a customer that exists', async () => {
    const { sut, ctx } = setup();
    const { id } = await sut.create(as('analyst'), { yaml: YAML });
    await sut.setForCustomer(as('analyst'), id, 'c1', false);
    expect(ctx.repo.setForCustomer).toHaveBeenCalledWith(id, 'c1', false, 'u-analyst');
  });

  it('answers NOT_FOUND for an unknown customer or rule and records nothing', async () => {
    const { sut, ctx } = setup();
    const { id } = await sut.create(as('analyst'), { yaml: YAML });
    await expect(sut.setForCustomer(as('analyst'), id, 'c9', false)).rejects.toMatchObject({ kind: 'NOT_FOUND', field: 'customerId' });
    await expect(sut.setForCustomer(as('analyst'), 'r9', 'c1', false)).rejects.toMatchObject({ kind: 'NOT_FOUND', field: 'ruleId' });
    expect(ctx.repo.setForCustomer).not.toHaveBeenCalled();
  });
});

describe('RulesService.test', () => {
  it('says which sample events match and which selections did, saving nothing', async () => {
    const { sut, ctx } = setup();
    const results = await sut.test(as('engineer'), YAML, [
      { kanshi: { product: 'FORTIGATE' }, fortinet: { firewall: { subtype: 'ips' } }, event: { severity: 99 } },
      { kanshi: { product: 'FORTIGATE' }, fortinet: { firewall: { subtype: 'ips' } }, event: { severity: 73 } },
      { kanshi: { product: 'PALO_ALTO' }, fortinet: { firewall: { subtype: 'ips' } }, event: { severity: 99 } },
      { fortinet: { firewall: { subtype: 'ips' } }, event: { severity: 99 } },
    ]);
    expect(results).toEqual([
      { index: 0, matched: true, selections: ['ips', 'critical'], product: 'FORTIGATE' },
      { index: 1, matched: false, selections: [], product: 'FORTIGATE' },
      { index: 2, matched: false, selections: [], product: 'PALO_ALTO' },
      { index: 3, matched: true, selections: ['ips', 'critical'], product: 'FORTIGATE' },
    ]);
    expect(ctx.repo.insert).not.toHaveBeenCalled();
  });

  it('counts correlations across the list in order', async () => {
    const { sut } = setup();
    const yaml = `title: brute
level: medium
logsource: { product: fortigate }
detection: { f: { event.outcome: failure }, condition: f }
correlation: { type: event_count, group-by: [source.ip], timespan: 10m, condition: { gte: 2 } }
`;
    const ev = { event: { outcome: 'failure' }, source: { ip: '198.51.100.1' } };
    expect((await sut.test(as('analyst'), yaml, [ev, ev])).map((r) => r.matched)).toEqual([false, true]);
  });

  it('refuses an event that is not an object, naming events', async () => {
    const { sut } = setup();
    await expect(sut.test(as('analyst'), YAML, [{}, 'text'])).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', field: 'events', message: 'event 1 is not an ECS document (a JSON object)' });
  });

  it('refuses tenants', async () => {
    const { sut } = setup();
    await expect(sut.test(as('customer_admin'), YAML, [])).rejects.toMatchObject({ kind: 'FORBIDDEN' });
  });
});
