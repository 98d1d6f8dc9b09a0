import { DataSource, EntityManager } from 'typeorm';
import { ManualClock } from '@kanshi/calendar';
import { EscalationContact } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { principalAs, TENANTS } from '@kanshi/testing';
import { MailAdapter, OutgoingMail } from '../adapters/mail.adapter';
import { loadConfig } from '../config';
import { CallTasksService, NewCallTask } from './call-tasks.service';
import { Delivery, IncidentCorePort, NotifyTerms, TimelineNote } from './incident-core.port';
import { NotificationEntity } from './notification.entity';
import { NewNotification, NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { SeverityDecision } from './severity-decision';

const { C1 } = TENANTS;
const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'a'.repeat(32), MAIL_RETRY_LIMIT: '2' });
const EM = {} as EntityManager;

function setup(opts: { plan?: NotifyTerms['plan'] | null; contacts?: EscalationContact[]; mailFails?: boolean } = {}) {
  const rows: NotificationEntity[] = [];
  const timeline: (TimelineNote & { incidentId: string })[] = [];
  const stopped: string[] = [];
  const notified: string[] = [];
  const opened: NewCallTask[] = [];
  const sent: { data: unknown; em: unknown }[] = [];
  const mails: OutgoingMail[] = [];
  const contacts = opts.contacts ?? [
    { order: 2, name: 'Smith', phone: '+81300000002', email: 'smith@example.com', language: 'en' as const },
    { order: 1, name: 'Tanaka', phone: '+81300000001', email: 'tanaka@example.jp', language: 'ja' as const },
  ];
  const repo = {
    insertNotification: jest.fn(async (_em: unknown, n: NewNotification) => {
      if (rows.some((r) => r.incidentId === n.incidentId && r.severity === n.severity && r.channel === n.channel && r.recipient === n.recipient)) return null;
      const row = { ...n, id: `n${rows.length + 1}`, status: 'PENDING', attempts: 0, sentAt: null, error: null, createdAt: new Date(), updatedAt: new Date() } as NotificationEntity;
      rows.push(row);
      return row;
    }),
    find: jest.fn(async (id: string) => rows.find((r) => r.id === id) ?? null),
    findMany: jest.fn(async (ids: string[]) => ids.map((id) => rows.find((r) => r.id === id) ?? null)),
    markDelivered: jest.fn(async (_em: unknown, ds: { id: string; attempts: number; sentAt: Date }[]) => {
      for (const d of ds) Object.assign(rows.find((r) => r.id === d.id)!, { status: 'DELIVERED', attempts: d.attempts, sentAt: d.sentAt, error: null });
    }),
    updateNotification: jest.fn(async (_em: unknown, id: string, patch: Partial<NotificationEntity>) => {
      Object.assign(rows.find((r) => r.id === id)!, patch);
    }),
    forIncidents: jest.fn(async () => rows),
  };
  const core: IncidentCorePort = {
    terms: async () => (opts.plan === null ? null : { plan: opts.plan ?? 'MDR', contacts }),
    appendTimeline: async (_em: unknown, incidentId: string, note: TimelineNote) => void timeline.push({ incidentId, ...note }),
    stopFirstReport: async (_em: unknown, incidentId: string) => void stopped.push(incidentId),
    markNotified: async (_em: unknown, incidentId: string) => void notified.push(incidentId),
    notificationsDelivered: async (_em: unknown, ds: Delivery[]) => {
      for (const { incidentId, note } of ds) {
        timeline.push({ incidentId, ...note });
        stopped.push(incidentId);
        notified.push(incidentId);
      }
    },
    operatorOnDuty: async () => 'op-1',
  } as unknown as IncidentCorePort;
  const calls = { open: jest.fn(async (_em: unknown, t: NewCallTask) => void opened.push(t)) };
  const mail = {
    send: jest.fn(async (m: OutgoingMail) => {
      mails.push(m);
      if (opts.mailFails) throw new Error('451 try again later');
      return { response: '250 2.0.0 Ok: queued', messageId: m.messageId };
    }),
  };
  const jobs = { work: jest.fn(), send: jest.fn(async (_job: unknown, data: unknown, o: { em?: unknown }) => void sent.push({ data, em: o.em })) };
  const ds = { transaction: (work: (em: EntityManager) => Promise<unknown>) => work(EM) };
  const sut = new NotificationsService(
    ds as unknown as DataSource,
    repo as unknown as NotificationsRepository,
    core,
    calls as unknown as CallTasksService,
    mail as unknown as MailAdapter,
    jobs as unknown as JobQueue,
    new ManualClock(new Date('2026-12-02T01:00:00Z')),
    config,
  );
  return { sut, ctx: { rows, timeline, stopped, notified, opened, sent, mails, repo } };
}

const decision = (over: Partial<SeverityDecision> = {}): SeverityDecision => ({
  incidentId: 'i1',
  customerId: C1,
  severity: 'MEDIUM',
  decidedAt: new Date('2026-12-02T01:00:00Z'),
  decidedBy: 'system:analysis',
  title: 'Emotet on pc-001',
  reasons: [{ text: 'C2 beacon', textJa: 'C2 通信' }],
  actions: [{ text: 'Isolate pc-001', textJa: 'pc-001 を隔離' }],
  hosts: ['pc-001'],
  ...over,
});

describe('NotificationsService.onSeverityDecided', () => {
  it('mails every contact on MEDIUM, in its language, queuing each mail in the decision’s transaction; nobody is phoned', async () => {
    const { sut, ctx } = setup();
    const created = await sut.onSeverityDecided(EM, decision());
    expect(created.map((n) => [n.channel, n.recipient, n.language])).toEqual([
      ['EMAIL', 'tanaka@example.jp', 'ja'],
      ['EMAIL', 'smith@example.com', 'en'],
    ]);
    expect(created[0].subject).toContain('重要度「中」');
    expect(created[1].body).toContain('Isolate pc-001');
    expect(ctx.sent).toEqual([
      { data: { notificationId: 'n1' }, em: EM },
      { data: { notificationId: 'n2' }, em: EM },
    ]);
    expect(ctx.opened).toEqual([]);
    expect(ctx.timeline.map((t) => t.kind)).toEqual(['NOTIFICATION_QUEUED', 'NOTIFICATION_QUEUED']);
  });

  it('phones and mails HIGH on a phone plan, the call list in the contract’s order', async () => {
    const { sut, ctx } = setup();
    const created = await sut.onSeverityDecided(EM, decision({ severity: 'HIGH' }));
    expect(created.map((n) => n.channel)).toEqual(['EMAIL', 'EMAIL', 'PHONE']);
    expect(ctx.opened).toHaveLength(1);
    expect(ctx.opened[0]).toMatchObject({ reason: 'HIGH_SEVERITY', severity: 'HIGH', contacts: [{ name: 'Tanaka' }, { name: 'Smith' }] });
    expect(ctx.opened[0].scriptJa).toContain('重要度「高」');
    expect(ctx.opened[0].scriptEn).toContain('high severity');
  });

  it.each([['FE_ALERT_ANALYSIS'], ['SOC_DESIGN']] as const)('only mails HIGH on %s', async (plan) => {
    const { sut, ctx } = setup({ plan });
    expect((await sut.onSeverityDecided(EM, decision({ severity: 'HIGH' }))).map((n) => n.channel)).toEqual(['EMAIL', 'EMAIL']);
    expect(ctx.opened).toEqual([]);
  });

  it('notifies nobody on LOW, and nobody twice for the same decision', async () => {
    const { sut, ctx } = setup();
    expect(await sut.onSeverityDecided(EM, decision({ severity: 'LOW' }))).toEqual([]);
    await sut.onSeverityDecided(EM, decision());
    expect(await sut.onSeverityDecided(EM, decision())).toEqual([]);
    expect(ctx.sent).toHaveLength(2);
  });

  it('says on the timeline when the customer has no contract, or no contact to reach', async () => {
    const none = setup({ plan: null });
    expect(await none.sut.onSeverityDecided(EM, decision())).toEqual([]);
    expect(none.ctx.timeline[0]).toMatchObject({ kind: 'NOTIFICATION_SKIPPED', text: expect.stringContaining('no active contract') });
    const noAddress = setup({ contacts: [{ order: 1, name: 'X', language: 'ja' }] });
    await noAddress.sut.onSeverityDecided(EM, decision({ severity: 'HIGH' }));
    expect(noAddress.ctx.timeline.map((t) => t.text)).toEqual(['Severity HIGH: no contact has an e-mail address', 'Severity HIGH: no contact has a phone number to call']);
  });
});

describe('NotificationsService.deliverMail', () => {
  it('sends with the notification’s Message-ID; accepted: delivered, first report stopped, incident notified', async () => {
    const { sut, ctx } = setup();
    await sut.onSeverityDecided(EM, decision());
    await sut.deliverMail('n1', { retryCount: 0, retryLimit: 2 });
    expect(ctx.mails[0]).toMatchObject({ to: 'tanaka@example.jp', messageId: '<n1@kanshi>', language: 'ja' });
    expect(ctx.rows[0]).toMatchObject({ status: 'DELIVERED', attempts: 1, error: null, sentAt: new Date('2026-12-02T01:00:00Z') });
    expect(ctx.stopped).toEqual(['i1']);
    expect(ctx.notified).toEqual(['i1']);
    // a job run again after a crash finds it delivered and sends nothing
    await sut.deliverMail('n1', { retryCount: 0, retryLimit: 2 });
    expect(ctx.mails).toHaveLength(1);
  });

  it('throws for a retry while attempts are left, then marks it FAILED and gives the operator a call task', async () => {
    const { sut, ctx } = setup({ mailFails: true });
    await sut.onSeverityDecided(EM, decision());
    await expect(sut.deliverMail('n1', { retryCount: 0, retryLimit: 2 })).rejects.toThrow('451');
    expect(ctx.rows[0]).toMatchObject({ status: 'RETRYING', attempts: 1, error: '451 try again later' });
    await expect(sut.deliverMail('n1', { retryCount: 1, retryLimit: 2 })).rejects.toThrow('451');
    await sut.deliverMail('n1', { retryCount: 2, retryLimit: 2 });
    expect(ctx.rows[0]).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(ctx.mails.map((m) => m.messageId)).toEqual(['<n1@kanshi>', '<n1@kanshi>', '<n1@kanshi>']);
    expect(ctx.opened).toEqual([expect.objectContaining({ reason: 'MAIL_FAILED', contacts: [expect.objectContaining({ name: 'Tanaka' }), expect.objectContaining({ name: 'Smith' })] })]);
    expect(ctx.timeline.at(-1)?.text).toMatch(/not accepted \(attempt 3 of 3\): 451 try again later; escalated to the operator by phone$/);
    expect(ctx.stopped).toEqual([]);
  });
});

describe('NotificationsService.forIncidents', () => {
  it('groups the visible notifications by incident, every asked incident present', async () => {
    const { sut } = setup();
    await sut.onSeverityDecided(EM, decision());
    const map = await sut.forIncidents(principalAs('customer_viewer', { customerId: C1 }), ['i1', 'i2']);
    expect(map.get('i1')).toHaveLength(2);
    expect(map.get('i2')).toEqual([]);
  });
});
