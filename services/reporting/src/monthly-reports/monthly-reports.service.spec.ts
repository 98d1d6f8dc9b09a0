import { ManualClock } from '@kanshi/calendar';
import { JobQueue } from '@kanshi/jobs';
import { fakeTenantDirectory, principalAs, TENANTS } from '@kanshi/testing';
import { CustomerProfile, VerdictStatistics } from '../report-data/report-facts';
import { ReportFactsRepository } from '../report-data/report-facts.repository';
import { PdfRenderer } from '../rendering/pdf-renderer';
import { RenderError } from '../rendering/render.errors';
import { ReportStore } from '../reports/report-store';
import { MonthlyReportsService } from './monthly-reports.service';

const { C1, C2, P1 } = TENANTS;
const empty: VerdictStatistics = { total: 0, bySeverity: { HIGH: 0, MEDIUM: 0, LOW: 0 }, byDay: [], bySensor: [], byProduct: [], byCategory: [], topSignatures: [], lowBySignature: [], lowBySensor: [], blocked: 0 };

function setup(profile: Partial<CustomerProfile> | null = {}, opts: { renderFails?: boolean } = {}) {
  const facts = {
    profile: jest.fn(async (customerId: string) => (profile ? { customerId, name: 'C', plans: ['MDR'], startDate: '2026-04-01', contacts: [{ order: 1, name: 'x', email: 'x@example.com', language: 'en' }], ...profile } : null)),
    verdictStatistics: jest.fn(async () => empty),
    incidentsOpened: jest.fn(async () => []),
    sensors: jest.fn(async () => []),
    livenessChanges: jest.fn(async () => []),
    maintenanceWindows: jest.fn(async () => []),
    workOrders: jest.fn(async () => []),
    isolationsBetween: jest.fn(async () => []),
  };
  const renders: { html: string; options: unknown }[] = [];
  const renderer = {
    render: jest.fn(async (html: string, options: unknown) => {
      if (opts.renderFails) throw new RenderError('RENDER_TIMEOUT', 'rendering took longer than 30000 ms');
      renders.push({ html, options });
      return Buffer.from('%PDF-1.7');
    }),
  };
  const saved: unknown[] = [];
  const store = { saveVersion: jest.fn(async (_em: unknown, input: Record<string, unknown>) => (saved.push(input), { id: 'r1', ...input })) };
  const sent: unknown[] = [];
  const jobs = { send: jest.fn(async (_job: unknown, data: unknown) => (sent.push(data), 'j1')) };
  const clock = new ManualClock(new Date('2026-12-15T03:00:00Z'));
  const sut = new MonthlyReportsService(
    facts as unknown as ReportFactsRepository,
    renderer as unknown as PdfRenderer,
    store as unknown as ReportStore,
    fakeTenantDirectory(),
    jobs as unknown as JobQueue,
    clock,
  );
  return { sut, ctx: { facts, renders, saved, sent } };
}

describe('MonthlyReportsService.generate', () => {
  it('makes a closed month’s report in the first contact’s language, not provisional', async () => {
    const { sut, ctx } = setup();
    await sut.generate(principalAs('customer_admin', { customerId: C1 }), C1, '2026-11');
    expect(ctx.saved).toEqual([expect.objectContaining({ customerId: C1, kind: 'MONTHLY', period: '2026-11', language: 'en', provisional: false, title: 'Monthly report 2026-11' })]);
    expect(ctx.renders[0].options).toMatchObject({ provisional: false });
  });

  it('makes the month in progress provisional, with its figures up to now', async () => {
    const { sut, ctx } = setup({ contacts: [] });
    await sut.generate(principalAs('analyst'), C1, '2026-12');
    expect(ctx.saved).toEqual([expect.objectContaining({ provisional: true, language: 'ja', title: '月次報告書 2026年12月' })]);
    expect(ctx.renders[0].options).toMatchObject({ provisional: true });
    expect(ctx.facts.livenessChanges).toHaveBeenCalledWith(C1, new Date('2026-11-30T15:00:00Z'), new Date('2026-12-15T03:00:00Z'));
  });

  it.each([
    ['a month in the future', {}, '2027-01', 'MONTH_IN_FUTURE', 'month'],
    ['a month before the contract', { startDate: '2026-04-15' }, '2026-03', 'MONTH_BEFORE_CONTRACT', 'month'],
    ['a customer without a monthly-report plan', { plans: ['FE_ALERT_ANALYSIS'] }, '2026-11', 'NOT_ON_A_MONTHLY_REPORT_PLAN', 'customerId'],
  ])('refuses %s as BAD_USER_INPUT naming the field, rendering nothing', async (_, profile, month, code, field) => {
    const { sut, ctx } = setup(profile);
    await expect(sut.generate(principalAs('analyst'), C1, month)).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', code, field });
    expect(ctx.renders).toEqual([]);
  });

  it('accepts the month the contract started in', async () => {
    const { sut, ctx } = setup({ startDate: '2026-04-15' });
    await sut.generate(principalAs('analyst'), C1, '2026-04');
    expect(ctx.saved).toHaveLength(1);
  });

  it('answers CUSTOMER_NOT_FOUND for another tenant, FORBIDDEN for a viewer', async () => {
    const { sut, ctx } = setup();
    await expect(sut.generate(principalAs('customer_admin', { customerId: C1 }), C2, '2026-11')).rejects.toMatchObject({ kind: 'NOT_FOUND', field: 'customerId' });
    await expect(sut.generate(principalAs('partner_admin', { partnerId: P1 }), C2, '2026-11')).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    await expect(sut.generate(principalAs('customer_viewer', { customerId: C1 }), C1, '2026-11')).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    expect(ctx.renders).toEqual([]);
  });

  it('queues a failed render to be retried and says so', async () => {
    const { sut, ctx } = setup({}, { renderFails: true });
    await expect(sut.generate(principalAs('analyst'), C1, '2026-11')).rejects.toMatchObject({ kind: 'UNAVAILABLE', code: 'RENDER_RETRYING' });
    expect(ctx.sent).toEqual([{ customerId: C1, month: '2026-11', language: 'en', deliver: false }]);
  });
});
