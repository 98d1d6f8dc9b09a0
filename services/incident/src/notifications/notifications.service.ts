import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { defineJob, JobContext, JobDefinition, JobQueue } from '@kanshi/jobs';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { MailAdapter } from '../adapters/mail.adapter';
import { IncidentConfig } from '../config';
import { CallContact } from './call-task.entity';
import { CallTasksService } from './call-tasks.service';
import { Coalescer } from './coalescer';
import { IncidentCorePort, TimelineNote } from './incident-core.port';
import { PHONE_PLANS } from './notification-kinds';
import { callScript, renderMail } from './notification-messages';
import { NotificationEntity } from './notification.entity';
import { NotificationsPermissions } from './notifications.permissions';
import { NewNotification, NotificationsRepository } from './notifications.repository';
import { SeverityDecision } from './severity-decision';

export type MailJobData = { notificationId: string };

// A mail the relay accepted at `at`, waiting to be recorded with the others of its batch.
interface AcceptedMail {
  n: NotificationEntity;
  attempt: number;
  response: string;
  at: Date;
}

// The Message-ID every send of one notification carries, so a resend after a crash is the same
// message to the recipient's mail system.
export const messageIdOf = (notificationId: string) => `<${notificationId}@kanshi>`;

// Notifications by the contract's contact means when an incident's severity is decided: HIGH by
// phone and e-mail (e-mail only on the e-mail-only plans), MEDIUM by e-mail, LOW not at all.
// Each is keyed by incident, severity, channel and recipient, so a redelivered decision notifies
// nobody twice and a raised severity notifies again. Mails are jobs, retried with back-off; the
// first one the relay accepts stops the first-report clock; one that never gets through becomes
// a call task for the operator.
@Injectable()
export class NotificationsService implements OnModuleInit {
  readonly mailJob: JobDefinition<MailJobData>;
  private readonly mailConcurrency: number;
  // The mail jobs running at once read their notifications in one statement, and what the relay
  // accepted is recorded in one transaction per batch (recordDelivered).
  private readonly reads: Coalescer<string, NotificationEntity | null>;
  private readonly deliveries: Coalescer<AcceptedMail, void>;

  constructor(
    private readonly ds: DataSource,
    private readonly repo: NotificationsRepository,
    private readonly core: IncidentCorePort,
    private readonly calls: CallTasksService,
    private readonly mail: MailAdapter,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) config: IncidentConfig,
  ) {
    this.mailConcurrency = config.MAIL_CONCURRENCY;
    this.mailJob = defineJob<MailJobData>('notification-mail', {
      retryLimit: config.MAIL_RETRY_LIMIT,
      retryDelaySeconds: config.MAIL_RETRY_DELAY_SECONDS,
      retryBackoff: true,
      expireInSeconds: 300,
    });
    this.reads = new Coalescer((ids) => this.repo.findMany(ids), { maxItems: config.MAIL_CONCURRENCY, waitMs: 0 });
    this.deliveries = new Coalescer((ms) => this.recordDelivered(ms), { maxItems: config.MAIL_RECORD_BATCH_MAX, waitMs: config.MAIL_RECORD_WAIT_MS });
  }

  // Mails go out at once: the job queued in the deciding transaction wakes a worker at its commit
  // (JobQueue), and MAIL_CONCURRENCY of them are sent at once (4 workers fetching a batch each).
  onModuleInit(): void {
    const workers = Math.min(4, this.mailConcurrency);
    this.jobs.work(this.mailJob, (d, job) => this.deliverMail(d.notificationId, job), { workers, batchSize: Math.ceil(this.mailConcurrency / workers), pollIntervalMs: 1000 });
  }

  // The core's lifecycle hook, inside the transaction that decided the severity: the rows and
  // their jobs exist exactly when the decision does.
  async onSeverityDecided(em: EntityManager, d: SeverityDecision): Promise<NotificationEntity[]> {
    if (d.severity === 'LOW') return [];
    const terms = await this.core.terms(em, d.customerId);
    if (!terms) {
      await this.core.appendTimeline(em, d.incidentId, { kind: 'NOTIFICATION_SKIPPED', actor: 'system:notifications', text: `Severity ${d.severity}: the customer has no active contract, nobody was notified` });
      return [];
    }
    const contacts = [...terms.contacts].sort((a, b) => a.order - b.order);
    const created: NotificationEntity[] = [];
    const mailable = contacts.filter((c) => c.email);
    for (const c of mailable) {
      const m = renderMail(d, c.language, c.name);
      const n = await this.repo.insertNotification(em, { incidentId: d.incidentId, customerId: d.customerId, severity: d.severity, channel: 'EMAIL', recipient: c.email!, contactName: c.name, language: c.language, subject: m.subject, body: m.text });
      if (!n) continue;
      created.push(n);
      await this.jobs.send(this.mailJob, { notificationId: n.id }, { em });
      await this.core.appendTimeline(em, d.incidentId, { kind: 'NOTIFICATION_QUEUED', actor: 'system:notifications', text: `Severity ${d.severity}: mail to ${c.name} <${c.email}> queued (${c.language})` });
    }
    if (!mailable.length) await this.core.appendTimeline(em, d.incidentId, { kind: 'NOTIFICATION_SKIPPED', actor: 'system:notifications', text: `Severity ${d.severity}: no contact has an e-mail address` });
    if (d.severity === 'HIGH' && (PHONE_PLANS as readonly string[]).includes(terms.plan)) {
      const phones: CallContact[] = contacts.filter((c) => c.phone).map((c) => ({ name: c.name, phone: c.phone!, email: c.email ?? null, language: c.language }));
      if (!phones.length) {
        await this.core.appendTimeline(em, d.incidentId, { kind: 'NOTIFICATION_SKIPPED', actor: 'system:notifications', text: 'Severity HIGH: no contact has a phone number to call' });
        return created;
      }
      const first = phones[0];
      const n = await this.repo.insertNotification(em, { incidentId: d.incidentId, customerId: d.customerId, severity: d.severity, channel: 'PHONE', recipient: first.phone!, contactName: first.name, language: first.language, subject: d.title, body: callScript(d, first.language) });
      if (n) {
        created.push(n);
        await this.calls.open(em, { notificationId: n.id, incidentId: d.incidentId, customerId: d.customerId, severity: d.severity, reason: 'HIGH_SEVERITY', contacts: phones, scriptJa: callScript(d, 'ja'), scriptEn: callScript(d, 'en') });
      }
    }
    return created;
  }

  // onSeverityDecided() of many decisions (a batch of verdicts), with the same outcome: the terms
  // read once per customer, the notification rows, their mail jobs and the timeline notes in one
  // statement each. Call tasks (HIGH on the phone plans) are opened one by one, after the notes.
  async onSeverityDecidedMany(em: EntityManager, decisions: readonly SeverityDecision[]): Promise<void> {
    const termsByCustomer = new Map<string, Awaited<ReturnType<IncidentCorePort['terms']>>>();
    const notes: (TimelineNote & { incidentId: string })[] = [];
    const mails: { n: NewNotification; note: string }[] = [];
    const calls: { d: SeverityDecision; phones: CallContact[] }[] = [];
    // a note's place among the others: mail notes are known only once their rows are inserted
    const order: ({ note: TimelineNote & { incidentId: string } } | { mail: number })[] = [];
    for (const d of decisions) {
      if (d.severity === 'LOW') continue;
      if (!termsByCustomer.has(d.customerId)) termsByCustomer.set(d.customerId, await this.core.terms(em, d.customerId));
      const terms = termsByCustomer.get(d.customerId);
      if (!terms) {
        order.push({ note: { incidentId: d.incidentId, kind: 'NOTIFICATION_SKIPPED', actor: 'system:notifications', text: `Severity ${d.severity}: the customer has no active contract, nobody was notified` } });
        continue;
      }
      const contacts = [...terms.contacts].sort((a, b) => a.order - b.order);
      const mailable = contacts.filter((c) => c.email);
      for (const c of mailable) {
        const m = renderMail(d, c.language, c.name);
        order.push({ mail: mails.length });
        mails.push({
          n: { incidentId: d.incidentId, customerId: d.customerId, severity: d.severity, channel: 'EMAIL', recipient: c.email!, contactName: c.name, language: c.language, subject: m.subject, body: m.text },
          note: `Severity ${d.severity}: mail to ${c.name} <${c.email}> queued (${c.language})`,
        });
      }
      if (!mailable.length) order.push({ note: { incidentId: d.incidentId, kind: 'NOTIFICATION_SKIPPED', actor: 'system:notifications', text: `Severity ${d.severity}: no contact has an e-mail address` } });
      if (d.severity === 'HIGH' && (PHONE_PLANS as readonly string[]).includes(terms.plan)) {
        const phones: CallContact[] = contacts.filter((c) => c.phone).map((c) => ({ name: c.name, phone: c.phone!, email: c.email ?? null, language: c.language }));
        if (!phones.length) order.push({ note: { incidentId: d.incidentId, kind: 'NOTIFICATION_SKIPPED', actor: 'system:notifications', text: 'Severity HIGH: no contact has a phone number to call' } });
        else calls.push({ d, phones });
      }
    }
    const inserted = await this.repo.insertNotifications(
      em,
      mails.map((m) => m.n),
    );
    const insertedKeys = new Set(inserted.map((n) => `${n.incidentId}|${n.severity}|${n.recipient}`));
    await this.jobs.sendMany(
      this.mailJob,
      inserted.map((n) => ({ notificationId: n.id })),
      { em },
    );
    for (const o of order) {
      if ('note' in o) notes.push(o.note);
      else {
        const { n, note } = mails[o.mail];
        if (insertedKeys.has(`${n.incidentId}|${n.severity}|${n.recipient}`)) notes.push({ incidentId: n.incidentId, kind: 'NOTIFICATION_QUEUED', actor: 'system:notifications', text: note });
      }
    }
    await this.core.appendTimelineMany(em, notes);
    for (const { d, phones } of calls) {
      const first = phones[0];
      const n = await this.repo.insertNotification(em, { incidentId: d.incidentId, customerId: d.customerId, severity: d.severity, channel: 'PHONE', recipient: first.phone!, contactName: first.name, language: first.language, subject: d.title, body: callScript(d, first.language) });
      if (n) await this.calls.open(em, { notificationId: n.id, incidentId: d.incidentId, customerId: d.customerId, severity: d.severity, reason: 'HIGH_SEVERITY', contacts: phones, scriptJa: callScript(d, 'ja'), scriptEn: callScript(d, 'en') });
    }
  }

  // The mail job. Accepted by the relay: delivered, the first-report clock stops. Refused or
  // unreachable: retried with back-off (the queue's), and after the last attempt the operator
  // gets a call task. Every attempt is on the timeline.
  // A delivered mail's job ends once its batch is recorded; a batch that could not be written fails
  // its jobs, which are retried as a refused mail is (the resend carries the same Message-ID).
  async deliverMail(notificationId: string, job: Pick<JobContext, 'retryCount' | 'retryLimit'>): Promise<void> {
    const n = await this.reads.add(notificationId);
    if (!n || n.status === 'DELIVERED' || n.status === 'FAILED') return;
    const attempt = n.attempts + 1;
    const of = job.retryLimit + 1;
    let response: string;
    try {
      response = (await this.mail.send({ to: n.recipient, subject: n.subject, text: n.body, messageId: messageIdOf(n.id), language: n.language })).response;
    } catch (err) {
      const last = job.retryCount >= job.retryLimit;
      const error = (err as Error).message;
      await this.ds.transaction(async (em) => {
        await this.repo.updateNotification(em, n.id, { status: last ? 'FAILED' : 'RETRYING', attempts: attempt, error });
        await this.core.appendTimeline(em, n.incidentId, {
          kind: 'NOTIFICATION_FAILED',
          actor: 'system:notifications',
          text: `Mail to ${n.contactName} <${n.recipient}> not accepted (attempt ${attempt} of ${of}): ${error}${last ? '; escalated to the operator by phone' : '; it will be retried'}`,
        });
        if (last) await this.escalate(em, n);
      });
      if (!last) throw err;
      return;
    }
    await this.deliveries.add({ n, attempt, response, at: this.clock.now() });
  }

  // The mails of a batch the relay accepted, in one transaction with a fixed number of statements:
  // their incidents locked (in the order of their ids) and their notes, clocks, statuses and
  // snapshots (IncidentCorePort.notificationsDelivered), then the notifications DELIVERED. A
  // notification in the batch twice (a job that expired and ran again) is recorded once. A deadlock
  // with another writer is tried again at once, once.
  private async recordDelivered(mails: readonly AcceptedMail[]): Promise<void[]> {
    const once = [...new Map(mails.map((m) => [m.n.id, m])).values()];
    const write = () =>
      this.ds.transaction(async (em) => {
        await this.core.notificationsDelivered(
          em,
          once.map(({ n, attempt, response, at }) => ({ incidentId: n.incidentId, at, note: { kind: 'NOTIFICATION_DELIVERED', actor: 'system:notifications', text: `Mail to ${n.contactName} <${n.recipient}> accepted by the relay (attempt ${attempt}): ${response}` } })),
        );
        await this.repo.markDelivered(
          em,
          once.map(({ n, attempt, at }) => ({ id: n.id, attempts: attempt, sentAt: at })),
        );
      });
    try {
      await write();
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01') throw err;
      await write();
    }
    return mails.map(() => undefined);
  }

  // A mail that never got through: the operator phones the contacts with what it said.
  private async escalate(em: EntityManager, failed: NotificationEntity): Promise<void> {
    const terms = await this.core.terms(em, failed.customerId);
    const phones: CallContact[] = (terms?.contacts ?? [])
      .filter((c) => c.phone)
      .sort((a, b) => a.order - b.order)
      .map((c) => ({ name: c.name, phone: c.phone!, email: c.email ?? null, language: c.language }));
    const contacts = phones.length ? phones : [{ name: failed.contactName, phone: null, email: failed.recipient, language: failed.language }];
    const n = await this.repo.insertNotification(em, {
      incidentId: failed.incidentId,
      customerId: failed.customerId,
      severity: failed.severity,
      channel: 'PHONE',
      recipient: `mail-failed:${failed.recipient}`,
      contactName: contacts[0].name,
      language: contacts[0].language,
      subject: failed.subject,
      body: failed.body,
    });
    if (!n) return;
    await this.calls.open(em, {
      notificationId: n.id,
      incidentId: failed.incidentId,
      customerId: failed.customerId,
      severity: failed.severity,
      reason: 'MAIL_FAILED',
      contacts,
      scriptJa: `メール「${failed.subject}」が ${failed.recipient} に届きませんでした。電話で内容をお伝えください。\n\n${failed.language === 'ja' ? failed.body : ''}`.trim(),
      scriptEn: `The mail "${failed.subject}" to ${failed.recipient} could not be delivered. Tell the contact what it says by phone.\n\n${failed.language === 'en' ? failed.body : ''}`.trim(),
    });
  }

  // An isolation the EDR could not carry out (issue 11 item 4): the operator phones the customer's
  // contacts in order to agree what to do instead (one task per isolation).
  async escalateIsolationFailure(em: EntityManager, f: { incidentId: string; customerId: string; severity: NotificationEntity['severity']; isolationId: string; hostName: string; error: string }): Promise<void> {
    const terms = await this.core.terms(em, f.customerId);
    const contacts: CallContact[] = (terms?.contacts ?? [])
      .filter((c) => c.phone)
      .sort((a, b) => a.order - b.order)
      .map((c) => ({ name: c.name, phone: c.phone!, email: c.email ?? null, language: c.language }));
    const first = contacts[0];
    const subject = `Isolation of ${f.hostName} failed`;
    const body = `The EDR could not isolate ${f.hostName}: ${f.error}`;
    const n = await this.repo.insertNotification(em, {
      incidentId: f.incidentId,
      customerId: f.customerId,
      severity: f.severity,
      channel: 'PHONE',
      recipient: `isolation-failed:${f.isolationId}`,
      contactName: first?.name ?? '',
      language: first?.language ?? 'ja',
      subject,
      body,
    });
    if (!n) return;
    await this.calls.open(em, {
      notificationId: n.id,
      incidentId: f.incidentId,
      customerId: f.customerId,
      severity: f.severity,
      reason: 'ISOLATION_FAILED',
      contacts,
      scriptJa: `端末 ${f.hostName} の隔離に失敗しました（${f.error}）。お客様と対応（ネットワークからの切り離し等）をご相談ください。`,
      scriptEn: `The isolation of ${f.hostName} failed (${f.error}). Agree with the customer what to do instead (for example unplugging it from the network).`,
    });
  }

  // Incident.notifications: the incidents' notifications the caller may see, by incident.
  async forIncidents(principal: Principal, incidentIds: readonly string[]): Promise<Map<string, NotificationEntity[]>> {
    authorize(principal, NotificationsPermissions.readNotifications);
    const out = new Map<string, NotificationEntity[]>(incidentIds.map((id) => [id, []]));
    for (const n of await this.repo.forIncidents(scopeOf(principal), incidentIds)) out.get(n.incidentId)?.push(n);
    return out;
  }
}
