import { DataSource, EntityManager } from 'typeorm';
import { Role } from '@kanshi/auth';
import { Outbox } from '@kanshi/messaging';
import { principalAs, TENANTS } from '@kanshi/testing';
import { VerdictEntity } from './verdict.entity';
import { VerdictsRepository } from './verdicts.repository';
import { VerdictsService } from './verdicts.service';

const VERDICT = '00000000-0000-4000-8000-0000000000f1';
const ALERT = '00000000-0000-4000-8000-0000000000f2';

function verdict(over: Partial<VerdictEntity> = {}): VerdictEntity {
  return {
    id: VERDICT,
    alertId: ALERT,
    customerId: TENANTS.C1,
    sensorId: '00000000-0000-4000-8000-0000000000f3',
    product: 'FIREEYE_NX',
    groupId: null,
    severity: 'MEDIUM',
    automaticSeverity: 'MEDIUM',
    reasons: [],
    actions: [],
    isolationRecommended: false,
    endpoints: [],
    blocked: true,
    signature: 'Malware.Binary',
    category: ['malware'],
    repeatCount: 1,
    suppressedBy: null,
    decidedAt: new Date('2026-11-02T01:00:00Z'),
    overrideSeverity: null,
    overrideRationale: null,
    overrideBy: null,
    overrideAt: null,
    ...over,
  };
}

function setup(stored: VerdictEntity = verdict()) {
  const repo = {
    visibleById: jest.fn(async (scope: { kind: string; customerId?: string }, id: string) => (id === stored.id && (scope.kind === 'all' || scope.customerId === stored.customerId) ? stored : null)),
    visibleByAlertIds: jest.fn(async () => new Map([[stored.alertId, stored]])),
    override: jest.fn(async (_tx: EntityManager, _id: string, o: { severity: VerdictEntity['severity']; rationale: string; by: string; at: Date }) =>
      Object.assign(stored, { severity: o.severity, overrideSeverity: o.severity, overrideRationale: o.rationale, overrideBy: o.by, overrideAt: o.at }),
    ),
  };
  const events: { subject: string; body: any }[] = [];
  const outbox = { add: jest.fn(async (_tx: EntityManager, def: { subject: string }, body: unknown) => events.push({ subject: def.subject, body })) };
  const ds = { transaction: async <T>(fn: (tx: EntityManager) => Promise<T>) => fn({} as EntityManager) };
  const sut = new VerdictsService(ds as unknown as DataSource, repo as unknown as VerdictsRepository, outbox as unknown as Outbox);
  return { sut, ctx: { repo, events } };
}

describe('VerdictsService.override', () => {
  it('sets the severity, keeps the automatic one, and publishes v2 with overridden: true', async () => {
    const { sut, ctx } = setup();
    const v = await sut.override(principalAs('provider_admin'), { verdictId: VERDICT, severity: 'HIGH', rationale: 'lateral movement seen by hand' });
    expect(v).toMatchObject({ severity: 'HIGH', automaticSeverity: 'MEDIUM', automatic: false, override: { severity: 'HIGH', rationale: 'lateral movement seen by hand', by: 'u-provider_admin' } });
    expect(ctx.events).toEqual([{ subject: 'analysis.verdict.issued.v2', body: expect.objectContaining({ verdictId: VERDICT, severity: 'HIGH', automaticSeverity: 'MEDIUM', overridden: true }) }]);
  });

  it.each<Role>(['engineer', 'sales', 'partner_admin', 'customer_admin', 'customer_viewer'])('is FORBIDDEN to %s, and writes nothing', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.override(principalAs(role, { customerId: TENANTS.C1, partnerId: TENANTS.P1 }), { verdictId: VERDICT, severity: 'LOW', rationale: 'x' })).rejects.toMatchObject({
      kind: 'FORBIDDEN',
      message: `role ${role} may not override verdicts`,
    });
    expect(ctx.repo.override).not.toHaveBeenCalled();
  });

  it('refuses a suppressed alert’s verdict: nothing went out to override', async () => {
    const { sut, ctx } = setup(verdict({ suppressedBy: 'sup-1' }));
    await expect(sut.override(principalAs('analyst'), { alertId: ALERT, severity: 'HIGH', rationale: 'x' })).rejects.toMatchObject({ kind: 'CONFLICT', code: 'VERDICT_SUPPRESSED', field: 'alertId' });
    expect(ctx.events).toEqual([]);
  });

  it('needs exactly one of verdictId and alertId', async () => {
    const { sut } = setup();
    await expect(sut.override(principalAs('analyst'), { verdictId: VERDICT, alertId: ALERT, severity: 'HIGH', rationale: 'x' })).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', code: 'ONE_VERDICT_TARGET' });
  });
});
