// Mails the relay accepted are recorded together, one transaction per batch (the service wired as in
// production, a real SMTP server, a database of the spec's own): each notification DELIVERED once,
// each incident's first-report clock stopped once and NEW/TRIAGED -> NOTIFIED once (one save, one
// incident.updated), every mail on the timeline; a batch that could not be written fails its jobs,
// which are retried and then recorded exactly as if nothing had failed.
import { randomUUID } from 'node:crypto';
import { IncidentStatusValue, IncidentUpdated } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { eventually, isolatedDatabaseUrl, LocalSmtpRelay, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { CustomerTermsRepository } from '../customer-terms/customer-terms.repository';
import { IncidentWriter } from '../incidents/incident-writer';
import { Delivery, IncidentCorePort } from './incident-core.port';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

jest.setTimeout(90_000);

const relay = new LocalSmtpRelay();
let kit: SubgraphKit;
// the deliveries of each batch the core was given
const batches: Delivery[][] = [];

beforeAll(async () => {
  await relay.start();
  const databaseUrl = await isolatedDatabaseUrl();
  kit = await startSubgraph({
    service: 'incident',
    schema: 'incident',
    // a batch gathers for 300 ms, so the mails of one case are recorded together
    loadConfig: (env) => loadConfig({ ...env, DATABASE_URL: databaseUrl, SMTP_URL: relay.url, MAIL_RETRY_DELAY_SECONDS: '1', MAIL_RECORD_WAIT_MS: '300', JOBS_POLL_INTERVAL_MS: '500', SLA_CHECK_INTERVAL_MS: '3600000' }),
    module: (config, opts) => AppModule.forRoot(config, opts),
  });
  const core = kit.app.get(IncidentCorePort);
  const delivered = core.notificationsDelivered.bind(core);
  jest.spyOn(core, 'notificationsDelivered').mockImplementation((em, ds) => {
    batches.push([...ds]);
    return delivered(em, ds);
  });
  await kit.app.get(JobQueue).start();
});
afterAll(async () => {
  await kit?.close();
  await relay.stop();
});

async function mdrCustomer() {
  const c = await kit.createCustomer();
  const t = randomUUID().slice(0, 8);
  const contacts = [
    { order: 1, name: 'Tanaka', phone: '+81300000001', email: `tanaka.${t}@example.jp`, language: 'ja' as const },
    { order: 2, name: 'Smith', phone: '+81300000002', email: `smith.${t}@example.com`, language: 'en' as const },
  ];
  await kit.app.get(CustomerTermsRepository).apply(
    kit.ds.manager,
    { contractId: randomUUID(), customerId: c.customerId, partnerId: null, plan: 'MDR', serviceHours: 'ALWAYS', options: [], livenessMonitoring: false, monitoredProducts: [], escalationContacts: contacts, isolationPreApproved: false, logRetentionMonths: 3, status: 'active', startDate: '2026-01-01', endDate: null },
    '2026-01-01T00:00:00Z',
  );
  return c.customerId;
}

// Incidents of one customer in the given statuses (those NEW or TRIAGED with a running first-report
// clock) whose MEDIUM was decided now: two mails each (Tanaka, Smith), queued in one transaction.
async function incidentsWithMails(customerId: string, statuses: IncidentStatusValue[]): Promise<string[]> {
  const now = new Date();
  return kit.ds.transaction(async (em) => {
    const incidents = await kit.app.get(IncidentWriter).insertMany(
      em,
      statuses.map((status, k) => {
        const clock = status === 'NEW' || status === 'TRIAGED';
        const due = new Date(now.getTime() + 3600_000);
        return { customerId, severity: 'MEDIUM', status, title: `Emotet on pc-00${k}`, openedBy: 'system:analysis', slaPlan: 'MDR', firstReportDueAt: clock ? due : null, nextDueAt: clock ? due : null };
      }),
    );
    await kit.app.get(NotificationsService).onSeverityDecidedMany(
      em,
      incidents.map((i) => ({ incidentId: i.id, customerId, severity: 'MEDIUM', decidedAt: now, decidedBy: 'system', title: i.title, reasons: [{ text: 'Emotet C2 beacon', textJa: 'Emotet の C2 通信' }], actions: [{ text: 'Isolate the host', textJa: '端末を隔離してください' }], hosts: ['pc-001'] })),
    );
    return incidents.map((i) => i.id);
  });
}

const notifications = (ids: string[]): Promise<{ id: string; incident_id: string; status: string; attempts: number; recipient: string }[]> =>
  kit.ds.query(`SELECT id, incident_id, status, attempts, recipient FROM incident.notification WHERE incident_id = ANY($1) ORDER BY incident_id, recipient`, [ids]);
const timelineOf = async (id: string): Promise<string[]> =>
  (await kit.ds.query(`SELECT kind, text FROM incident.timeline_entry WHERE incident_id = $1 AND kind IN ('NOTIFICATION_DELIVERED', 'SLA', 'STATUS') ORDER BY at, id`, [id])).map((r: { kind: string; text: string }) =>
    r.kind === 'NOTIFICATION_DELIVERED' ? `${r.kind}: ${r.text.replace(/ <.*/, '')}` : `${r.kind}: ${r.text}`,
  );
const incidentRow = async (id: string) => (await kit.ds.query(`SELECT status, version, first_report_met_at, next_due_at FROM incident.incident WHERE id = $1`, [id]))[0];

it('records many delivered mails in one batch: each notification once, one clock stop and one NOTIFIED per incident, every mail on the timeline', async () => {
  const customerId = await mdrCustomer();
  const before = batches.length;
  const ids = await incidentsWithMails(customerId, ['NEW', 'NEW', 'TRIAGED', 'NEW', 'CONTAINED']);
  await eventually(async () => expect((await notifications(ids)).map((n) => n.status)).toEqual(Array(10).fill('DELIVERED')));

  // fewer transactions than mails, and a batch held both mails of an incident
  const mine = batches.slice(before);
  expect(mine.flat()).toHaveLength(10);
  expect(mine.length).toBeLessThan(10);
  expect(mine.some((b) => ids.some((id) => b.filter((d) => d.incidentId === id).length === 2))).toBe(true);
  for (const n of await notifications(ids)) expect(n.attempts).toBe(1);

  const updated = (await kit.outbox(IncidentUpdated.subject, customerId)).map((e) => e.body);
  for (const [k, id] of ids.entries()) {
    const tl = await timelineOf(id);
    expect(tl.filter((t) => t.startsWith('NOTIFICATION_DELIVERED: Mail to '))).toHaveLength(2);
    if (k === 4) {
      // CONTAINED, no first-report clock: the mails are on its timeline, the incident is untouched
      expect(tl.filter((t) => !t.startsWith('NOTIFICATION_DELIVERED'))).toEqual([]);
      expect(await incidentRow(id)).toMatchObject({ status: 'CONTAINED', version: 1 });
      expect(updated.filter((u) => u.incidentId === id)).toEqual([]);
      continue;
    }
    // the first mail stops the clock and notifies; the second only says it was delivered
    const from = k === 2 ? 'TRIAGED' : 'NEW';
    expect(tl).toEqual([expect.stringMatching(/^NOTIFICATION_DELIVERED/), 'SLA: first report clock stopped (met in time)', `STATUS: ${from} -> NOTIFIED: the customer was notified`, expect.stringMatching(/^NOTIFICATION_DELIVERED/)]);
    const row = await incidentRow(id);
    expect(row).toMatchObject({ status: 'NOTIFIED', version: 2, next_due_at: null });
    expect(row.first_report_met_at).not.toBeNull();
    // one save: one incident.updated, with the new version, the stopped clock and the entries
    const mineUpdated = updated.filter((u) => u.incidentId === id);
    expect(mineUpdated).toHaveLength(1);
    expect(mineUpdated[0]).toMatchObject({ version: 2, status: 'NOTIFIED', sla: expect.arrayContaining([expect.objectContaining({ clock: 'FIRST_REPORT', metAt: expect.any(String) })]) });
    expect(mineUpdated[0].timeline.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(['SLA', 'STATUS', 'NOTIFICATION_DELIVERED']));
  }
});

it('fails the jobs of a batch that could not be written; they are retried and recorded once, as if nothing had failed', async () => {
  const customerId = await mdrCustomer();
  const repo = kit.app.get(NotificationsRepository);
  const failedBatch: string[] = [];
  const markDelivered = repo.markDelivered.bind(repo);
  const spy = jest.spyOn(repo, 'markDelivered').mockImplementation(async (em, ds) => {
    if (!failedBatch.length) {
      failedBatch.push(...ds.map((d) => d.id));
      throw new Error('connection reset by the test');
    }
    return markDelivered(em, ds);
  });
  try {
    const ids = await incidentsWithMails(customerId, ['NEW', 'NEW', 'NEW']);
    await eventually(async () => expect((await notifications(ids)).map((n) => n.status)).toEqual(Array(6).fill('DELIVERED')), { timeoutMs: 30_000 });
    expect(failedBatch.length).toBeGreaterThan(1);
    const rows = await notifications(ids);
    for (const n of rows) {
      // sent again with the same Message-ID when its first record failed; recorded once either way
      const sent = relay.accepted(n.recipient).filter((m) => m.parsed.messageId === `<${n.id}@kanshi>`);
      expect(sent).toHaveLength(failedBatch.includes(n.id) ? 2 : 1);
    }
    for (const id of ids) {
      const tl = await timelineOf(id);
      expect(tl.filter((t) => t.startsWith('NOTIFICATION_DELIVERED'))).toHaveLength(2);
      expect(tl.filter((t) => t.startsWith('SLA'))).toEqual(['SLA: first report clock stopped (met in time)']);
      expect(tl.filter((t) => t.startsWith('STATUS'))).toEqual(['STATUS: NEW -> NOTIFIED: the customer was notified']);
      expect(await incidentRow(id)).toMatchObject({ status: 'NOTIFIED', version: 2 });
      expect((await kit.outbox(IncidentUpdated.subject, customerId)).filter((e) => e.body.incidentId === id)).toHaveLength(1);
    }
  } finally {
    spy.mockRestore();
  }
});
