import { DataSource, EntityManager } from 'typeorm';
import { ManualClock } from '@kanshi/calendar';
import { JobQueue } from '@kanshi/jobs';
import { Outbox } from '@kanshi/messaging';
import { fakeTenantDirectory, principalAs, TENANTS } from '@kanshi/testing';
import { ReportMailer } from '../delivery/report-mailer';
import { ReportFactsRepository } from '../report-data/report-facts.repository';
import { RenderFailures } from '../render-failures/render-failures.service';
import { PdfRenderer } from '../rendering/pdf-renderer';
import { RenderError } from '../rendering/render.errors';
import { ReportStore } from '../reports/report-store';
import { PdfStorage } from '../storage/pdf-storage';
import { AnalysisReportRequest, AnalysisReportsRepository } from './analysis-reports.repository';
import { AnalysisReportsService } from './analysis-reports.service';

const { C1, C2 } = TENANTS;
const INCIDENT = '00000000-0000-4000-8000-00000000f001';

function setup(opts: { renderFails?: boolean } = {}) {
  const requests = new Map<string, AnalysisReportRequest>();
  const repo = {
    insertRequest: jest.fn(async (_em: unknown, r: Omit<AnalysisReportRequest, 'reportId' | 'messageId' | 'sentAt'>) => {
      if (!requests.has(r.requestId)) requests.set(r.requestId, { ...r, reportId: null, messageId: null, sentAt: null });
    }),
    lock: jest.fn(async (_em: unknown, id: string) => requests.get(id) ?? null),
    find: jest.fn(async (id: string) => requests.get(id) ?? null),
    setReport: jest.fn(async (_em: unknown, id: string, reportId: string) => void (requests.get(id)!.reportId = reportId)),
    setSent: jest.fn(async (_em: unknown, id: string, messageId: string, at: Date) => Object.assign(requests.get(id)!, { messageId, sentAt: at })),
    report: jest.fn(async (id: string) => ({ id, title: 'stored' })),
  };
  const snapshot = { incidentId: INCIDENT, version: 2, title: 'Beacon', severity: 'HIGH', status: 'NOTIFIED', openedAt: '2026-11-03T01:00:00Z', verdictIds: [], groupId: null, timeline: [], findings: {} };
  const facts = {
    incident: jest.fn(async (id: string) => (id === INCIDENT ? { incidentId: id, customerId: C1, snapshot } : null)),
    profile: jest.fn(async () => ({ customerId: C1, name: 'C', plans: ['MDR'], startDate: null, contacts: [] })),
    verdictsOfIncident: jest.fn(async () => []),
    isolationsOfIncident: jest.fn(async () => []),
  };
  const renderer = { render: jest.fn(async () => (opts.renderFails ? Promise.reject(new RenderError('RENDER_FAILED', 'chromium crashed')) : Buffer.from('%PDF-1.7'))) };
  const saved: Record<string, unknown>[] = [];
  const store = { saveVersion: jest.fn(async (_em: unknown, input: Record<string, unknown>) => (saved.push(input), { id: `r${saved.length}`, title: input.title, ...input })) };
  const mails: unknown[] = [];
  const mailer = { send: jest.fn(async (m: { reportId: string }) => (mails.push(m), { messageId: `<report-${m.reportId}@kanshi.reporting>` })) };
  const events: { body: unknown }[] = [];
  const outbox = { add: jest.fn(async (_em: unknown, _def: unknown, body: unknown) => (events.push({ body }), 'e1')) };
  const queued: unknown[] = [];
  const jobs = { send: jest.fn(async (_j: unknown, data: unknown) => (queued.push(data), 'j')), work: jest.fn() };
  const ds = { transaction: async <T>(fn: (em: EntityManager) => Promise<T>) => fn({} as EntityManager) };
  const sut = new AnalysisReportsService(
    ds as unknown as DataSource,
    repo as unknown as AnalysisReportsRepository,
    facts as unknown as ReportFactsRepository,
    renderer as unknown as PdfRenderer,
    store as unknown as ReportStore,
    {} as PdfStorage,
    mailer as unknown as ReportMailer,
    outbox as unknown as Outbox,
    fakeTenantDirectory(),
    jobs as unknown as JobQueue,
    new ManualClock(new Date('2026-11-03T02:00:00Z')),
    {} as RenderFailures,
  );
  return { sut, ctx: { requests, saved, mails, events, queued } };
}

describe('AnalysisReportsService.generate', () => {
  it('makes a new version of the edition asked for, in Japanese by default, mailing nothing', async () => {
    const { sut, ctx } = setup();
    await sut.generate(principalAs('analyst'), INCIDENT, 'DETAILED');
    expect(ctx.saved).toEqual([expect.objectContaining({ customerId: C1, kind: 'ANALYSIS', subjectId: INCIDENT, edition: 'DETAILED', language: 'ja', title: '調査報告書（詳細）: Beacon' })]);
    expect(ctx.mails).toEqual([]);
    expect(ctx.events).toEqual([]);
  });

  it('answers INCIDENT_NOT_FOUND for another tenant’s incident and a missing one; FORBIDDEN for a viewer', async () => {
    const { sut, ctx } = setup();
    await expect(sut.generate(principalAs('customer_admin', { customerId: C2 }), INCIDENT, 'FIRST')).rejects.toMatchObject({ kind: 'NOT_FOUND', code: 'INCIDENT_NOT_FOUND', field: 'incidentId' });
    await expect(sut.generate(principalAs('analyst'), '00000000-0000-4000-8000-00000000f999', 'FIRST')).rejects.toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
    await expect(sut.generate(principalAs('customer_viewer', { customerId: C1 }), INCIDENT, 'FIRST')).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    expect(ctx.saved).toEqual([]);
  });

  it('queues a failed render to be retried and says so', async () => {
    const { sut, ctx } = setup({ renderFails: true });
    await expect(sut.generate(principalAs('analyst'), INCIDENT, 'FIRST')).rejects.toMatchObject({ kind: 'UNAVAILABLE', code: 'RENDER_RETRYING' });
    expect(ctx.queued).toEqual([{ requestId: [...ctx.requests.keys()][0] }]);
  });
});

describe('AnalysisReportsService requests', () => {
  const body = { requestId: '00000000-0000-4000-8000-00000000a001', incidentId: INCIDENT, edition: 'FIRST' as const, approvedBy: 'tier2', language: 'en' as const, recipients: ['ciso@example.com'] };

  it('keeps the request and queues its job', async () => {
    const { sut, ctx } = setup();
    await sut.requested({} as EntityManager, C1, body, new Date());
    expect(ctx.requests.get(body.requestId)).toMatchObject({ customerId: C1, approvedBy: 'tier2', reportId: null });
    expect(ctx.queued).toEqual([{ requestId: body.requestId }]);
  });

  it('renders once and mails an approved report once, publishing report.sent', async () => {
    const { sut, ctx } = setup();
    await sut.requested({} as EntityManager, C1, body, new Date());
    await sut.process(body.requestId);
    await sut.process(body.requestId);
    expect(ctx.saved).toHaveLength(1);
    expect(ctx.saved[0]).toMatchObject({ language: 'en', title: 'Analysis report (first report): Beacon', requestId: body.requestId });
    expect(ctx.mails).toEqual([expect.objectContaining({ reportId: 'r1', to: ['ciso@example.com'] })]);
    expect(ctx.events).toEqual([{ body: { reportId: 'r1', kind: 'ANALYSIS', subjectId: INCIDENT, recipients: ['ciso@example.com'], messageId: '<report-r1@kanshi.reporting>', sentAt: '2026-11-03T02:00:00.000Z' } }]);
  });

  it('does not mail a draft', async () => {
    const { sut, ctx } = setup();
    await sut.requested({} as EntityManager, C1, { ...body, approvedBy: null }, new Date());
    await sut.process(body.requestId);
    expect(ctx.saved).toHaveLength(1);
    expect(ctx.mails).toEqual([]);
  });
});
