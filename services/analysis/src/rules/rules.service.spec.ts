import { AccessError, Principal, Role } from '@kanshi/auth';
import { CreateDetectionRuleInput } from './create-detection-rule.input';
import { DetectionRuleEntity } from './detection-rule.entity';
import { RuleError } from './rules.errors';
import { RulesRepository } from './rules.repository';
import { RulesService } from './rules.service';

const as = (role: Role) => Principal.fromClaims({ sub: `u-${role}`, role, partnerId: 'p1', customerId: 'c1' }, 't');

function setup() {
  const rules: DetectionRuleEntity[] = [];
  const repo = {
    list: jest.fn(async () => rules),
    insert: jest.fn(async (values: Partial<DetectionRuleEntity>) => {
      const rule = { id: `r${rules.length + 1}`, enabled: true, createdAt: new Date(), ...values } as DetectionRuleEntity;
      rules.push(rule);
      return rule;
    }),
  };
  const sut = new RulesService(repo as unknown as RulesRepository);
  return { sut, ctx: { repo, rules } };
}

const input = (over: Partial<CreateDetectionRuleInput> = {}): CreateDetectionRuleInput => ({
  name: 'FortiGate IPS critical',
  severity: 'HIGH',
  condition: { field: 'event.severity', gte: 99 },
  ...over,
});

describe('RulesService.list', () => {
  it.each(['provider_admin', 'analyst', 'engineer'] as const)('shows %s every rule', async (role) => {
    const { sut, ctx } = setup();
    await sut.create(as('analyst'), input());
    expect(await sut.list(as(role))).toEqual(ctx.rules);
  });

  it.each(['sales', 'partner_admin', 'customer_admin', 'customer_viewer'] as const)('refuses %s: tenants and sales never see rules', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.list(as(role))).rejects.toMatchObject({ kind: 'FORBIDDEN', code: AccessError.Code.FORBIDDEN, message: `role ${role} may not read detection rules` });
    expect(ctx.repo.list).not.toHaveBeenCalled();
  });
});

describe('RulesService.create', () => {
  it('saves the rule with defaults and who created it', async () => {
    const { sut, ctx } = setup();
    const rule = await sut.create(as('provider_admin'), input({ products: ['FORTIGATE'] }));
    expect(rule).toMatchObject({ name: 'FortiGate IPS critical', description: '', products: ['FORTIGATE'], severity: 'HIGH', createdBy: 'u-provider_admin' });
    expect(ctx.rules).toHaveLength(1);
  });

  it('refuses an engineer and writes nothing', async () => {
    const { sut, ctx } = setup();
    await expect(sut.create(as('engineer'), input())).rejects.toMatchObject({ kind: 'FORBIDDEN', message: 'role engineer may not create detection rules' });
    expect(ctx.repo.insert).not.toHaveBeenCalled();
  });

  it.each([
    ['no field', { gte: 3 }],
    ['a field that is not a string', { field: 7, eq: 1 }],
    ['no operator analysis knows', { field: 'event.severity', between: [1, 2] }],
  ])('refuses a condition with %s, naming the condition', async (_, condition) => {
    const { sut, ctx } = setup();
    const err = await sut.create(as('analyst'), input({ condition })).catch((e: unknown) => e);
    expect(RuleError.is(err, 'INVALID_CONDITION')).toBe(true);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', field: 'condition', message: 'condition must name a field and one of eq, gte, lte, in, contains, exists' });
    expect(ctx.repo.insert).not.toHaveBeenCalled();
  });
});
