import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { defineJob, JobDefinition, JobQueue } from '@kanshi/jobs';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { callTwiml, TwilioClient, TwilioError, validTwilioSignature } from '../adapters/twilio.client';
import { IncidentConfig } from '../config';
import { CallContact, CallLogEntry, CallTaskEntity } from './call-task.entity';
import { IncidentCorePort } from './incident-core.port';
import { CallTaskReasonValue, VoiceCallStatus } from './notification-kinds';
import { NotificationError } from './notifications.errors';
import { NotificationsPermissions } from './notifications.permissions';
import { NotificationsRepository } from './notifications.repository';
import { RecordCallOutcomeInput } from './record-call-outcome.input';

// Every replica ticks; one job per slot steps the calls whose contact has had its time.
export const CallEscalationTick = defineJob('call-escalation-tick', { retryLimit: 0, expireInSeconds: 120, policy: 'stately' });
export type VoiceCallJobData = { callTaskId: string; contactIndex: number };

const TICK_MS = 30_000;
const FINAL_UNANSWERED: readonly string[] = ['busy', 'no-answer', 'failed', 'canceled'] satisfies VoiceCallStatus[];

export interface NewCallTask {
  notificationId: string;
  incidentId: string;
  customerId: string;
  severity: CallTaskEntity['severity'];
  reason: CallTaskReasonValue;
  contacts: CallContact[];
  scriptJa: string;
  scriptEn: string;
}

const describe = (c: CallContact | undefined) => (c ? `${c.name} (${c.phone ?? 'no phone'})` : 'nobody');

// Phone notification: a task for the operator on duty with the escalation list in order; an
// unanswered contact gives way to the next every CALL_ESCALATION_MINUTES (round and round) until
// someone is reached or the customer acknowledges. Optionally an automated voice call per contact.
@Injectable()
export class CallTasksService implements OnModuleInit {
  // One automated call to one contact of a task; retried when the provider does not answer.
  readonly voiceJob: JobDefinition<VoiceCallJobData>;
  constructor(
    private readonly ds: DataSource,
    private readonly repo: NotificationsRepository,
    private readonly core: IncidentCorePort,
    private readonly jobs: JobQueue,
    private readonly voice: TwilioClient,
    private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) private readonly config: IncidentConfig,
  ) {
    this.voiceJob = defineJob<VoiceCallJobData>('voice-call', { retryLimit: 3, retryDelaySeconds: config.TWILIO_RETRY_DELAY_SECONDS, retryBackoff: true, expireInSeconds: 120 });
  }

  onModuleInit(): void {
    this.jobs.every(CallEscalationTick, TICK_MS);
    this.jobs.work(CallEscalationTick, () => this.stepDue());
    this.jobs.work(this.voiceJob, (d, job) => this.placeVoiceCall(d.callTaskId, d.contactIndex, job.retryCount >= job.retryLimit));
  }

  private get stepMs(): number {
    return this.config.CALL_ESCALATION_MINUTES * 60_000;
  }

  // Inside the caller's transaction (the severity decision, a failed mail).
  async open(em: EntityManager, t: NewCallTask): Promise<CallTaskEntity> {
    const now = this.clock.now();
    const assignee = await this.core.operatorOnDuty(em, now);
    const task = await this.repo.insertCallTask(em, { ...t, assignee, nextStepAt: new Date(now.getTime() + this.stepMs) });
    const order = t.contacts.map((c, i) => `${i + 1}. ${describe(c)}`).join(', ');
    const why = t.reason === 'MAIL_FAILED' ? 'the notification mail could not be delivered' : `severity ${t.severity}`;
    await this.core.appendTimeline(em, t.incidentId, {
      kind: 'CALL_TASK_OPENED',
      actor: 'system:notifications',
      text: `Call task for ${assignee ?? 'the operator on duty (unassigned)'} (${why}): ${order || 'no contact has a phone number'}; next contact every ${this.config.CALL_ESCALATION_MINUTES} min until someone acknowledges`,
    });
    if (this.voice.enabled && t.contacts[0]?.phone) await this.jobs.send(this.voiceJob, { callTaskId: task.id, contactIndex: 0 }, { em });
    return task;
  }

  async list(principal: Principal, onlyOpen: boolean): Promise<CallTaskEntity[]> {
    authorize(principal, NotificationsPermissions.readCallTasks);
    return this.repo.callTasks(onlyOpen, 200);
  }

  async recordOutcome(principal: Principal, input: RecordCallOutcomeInput): Promise<CallTaskEntity> {
    authorize(principal, NotificationsPermissions.recordCallOutcome);
    const now = this.clock.now();
    return this.ds.transaction(async (em) => {
      const task = await this.repo.lockCallTask(em, input.callTaskId);
      if (!task) throw new NotificationError('CALL_TASK_NOT_FOUND', `call task ${input.callTaskId} not found`, 'callTaskId');
      if (task.status !== 'OPEN') throw new NotificationError('CALL_TASK_CLOSED', `call task ${task.id} is ${task.status}; no more outcomes are recorded on it`, 'callTaskId');
      const index = input.contactIndex ?? task.currentIndex;
      const contact = task.contacts[index];
      if (!contact) throw new NotificationError('CONTACT_NOT_ON_TASK', `contactIndex ${index} is not on the task's list (0-${task.contacts.length - 1})`, 'contactIndex');
      const at = input.at ? new Date(input.at) : now;
      const entry: CallLogEntry = { at: at.toISOString(), contactIndex: index, contactName: contact.name, via: 'OPERATOR', outcome: input.outcome, reachedWhom: input.reachedWhom ?? null, note: input.whatWasSaid ?? null, actor: principal.subject };
      await this.countAttempt(em, task);
      if (input.outcome === 'REACHED') {
        await this.close(em, task, 'REACHED', at, entry);
        await this.core.appendTimeline(em, task.incidentId, {
          kind: 'CALL_REACHED',
          actor: principal.subject,
          text: `Reached ${input.reachedWhom ?? contact.name} by phone (${describe(contact)}) at ${at.toISOString()}${input.whatWasSaid ? `: ${input.whatWasSaid}` : ''}`,
        });
        return task;
      }
      await this.core.appendTimeline(em, task.incidentId, {
        kind: 'CALL_ATTEMPT',
        actor: principal.subject,
        text: `Called ${describe(contact)}: ${input.outcome.toLowerCase().replace(/_/g, ' ')}${input.whatWasSaid ? ` (${input.whatWasSaid})` : ''}`,
      });
      // this contact did not answer: the next one at once
      await this.step(em, task, now, principal.subject, entry);
      return task;
    });
  }

  // The escalation timer; `now` from the clock (tests move a ManualClock). Returns tasks stepped.
  async stepDue(now: Date = this.clock.now()): Promise<number> {
    return this.ds.transaction(async (em) => {
      const due = await this.repo.dueCallTasks(em, now, 200);
      for (const task of due) {
        const contact = task.contacts[task.currentIndex];
        await this.core.appendTimeline(em, task.incidentId, {
          kind: 'CALL_ATTEMPT',
          actor: 'system:notifications',
          text: `No answer from ${describe(contact)} within ${this.config.CALL_ESCALATION_MINUTES} min`,
        });
        await this.step(em, task, now, 'system:notifications', { at: now.toISOString(), contactIndex: task.currentIndex, contactName: contact?.name ?? '', via: 'SYSTEM', outcome: 'NO_ANSWER', reachedWhom: null, note: null, actor: 'system:notifications' });
      }
      return due.length;
    });
  }

  // The customer acknowledged the incident: its open call tasks end (called by the core).
  async onAcknowledged(em: EntityManager, incidentId: string, actor: string, at: Date = this.clock.now()): Promise<void> {
    for (const task of await this.repo.openCallTasksFor(em, incidentId)) {
      await this.close(em, task, 'ACKNOWLEDGED', at, { at: at.toISOString(), contactIndex: task.currentIndex, contactName: '', via: 'SYSTEM', outcome: 'ACKNOWLEDGED', reachedWhom: null, note: null, actor });
      await this.core.appendTimeline(em, incidentId, { kind: 'CALL_TASK_CLOSED', actor, text: 'Call task closed: the customer acknowledged the incident' });
    }
  }

  // ----- automated voice calls -----

  async placeVoiceCall(callTaskId: string, contactIndex: number, lastAttempt = false): Promise<void> {
    const task = await this.repo.callTasksByIds([callTaskId]).then((r) => r[0]);
    // the task moved on (reached, acknowledged, or the next contact) while this waited
    if (!task || task.status !== 'OPEN' || task.currentIndex !== contactIndex || !this.voice.enabled) return;
    const contact = task.contacts[contactIndex];
    if (!contact?.phone) return;
    const script = contact.language === 'en' ? task.scriptEn : task.scriptJa;
    const query = { task: task.id, contact: String(contactIndex) };
    try {
      const call = await this.voice.call({ to: contact.phone, twiml: callTwiml(script, contact.language, this.voice.callbackUrl('gather', query)), statusCallback: this.voice.callbackUrl('status', query) });
      await this.ds.transaction(async (em) => {
        await this.repo.insertVoiceCall(em, call.sid, task.id, contactIndex, call.status);
        await this.core.appendTimeline(em, task.incidentId, { kind: 'CALL_ATTEMPT', actor: 'system:notifications', text: `Automated call to ${describe(contact)} placed (${call.sid})` });
      });
    } catch (err) {
      // a 4xx (a number the provider rejects, a refused account) does not get better by retrying
      const permanent = err instanceof TwilioError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429;
      if (lastAttempt || permanent) {
        await this.ds.transaction((em) =>
          this.core.appendTimeline(em, task.incidentId, { kind: 'CALL_ATTEMPT', actor: 'system:notifications', text: `Automated call to ${describe(contact)} could not be placed: ${(err as Error).message}; the operator calls` }),
        );
        return;
      }
      throw err;
    }
  }

  // The callback address as the provider sees it, without the /voice/... path.
  callbackBase(): string {
    return (this.config.TWILIO_CALLBACK_BASE_URL ?? '').replace(/\/+$/, '');
  }

  // Twilio's status callback and the contact's key press; false when the signature is wrong.
  async onVoiceCallback(kind: 'status' | 'gather', url: string, params: Record<string, string>, signature: string | undefined): Promise<boolean> {
    if (!this.voice.enabled || !validTwilioSignature(this.voice.authToken, url, params, signature)) return false;
    const sid = params.CallSid;
    if (!sid) return true;
    const now = this.clock.now();
    await this.ds.transaction(async (em) => {
      const call = await this.repo.lockVoiceCall(em, sid);
      if (!call) return;
      const task = await this.repo.lockCallTask(em, call.callTaskId);
      if (!task) return;
      const contact = task.contacts[call.contactIndex];
      const entry = (outcome: string): CallLogEntry => ({ at: now.toISOString(), contactIndex: call.contactIndex, contactName: contact?.name ?? '', via: 'VOICE', outcome, reachedWhom: null, note: null, actor: 'system:notifications' });
      if (kind === 'gather') {
        if (params.Digits !== '1' || task.status !== 'OPEN') return;
        await this.countAttempt(em, task);
        await this.close(em, task, 'REACHED', now, { ...entry('REACHED'), reachedWhom: contact?.name ?? null });
        await this.core.appendTimeline(em, task.incidentId, { kind: 'CALL_REACHED', actor: 'system:notifications', text: `${describe(contact)} acknowledged the automated call (${sid})` });
        return;
      }
      const status = params.CallStatus ?? '';
      await this.repo.updateVoiceCall(em, sid, status);
      if (status === 'completed') {
        await this.core.appendTimeline(em, task.incidentId, { kind: 'CALL_ATTEMPT', actor: 'system:notifications', text: `Automated call to ${describe(contact)} ended (${sid}, ${params.CallDuration ?? '?'} s)${task.status === 'OPEN' ? ' without an acknowledgement' : ''}` });
        return;
      }
      if (!FINAL_UNANSWERED.includes(status)) return;
      await this.core.appendTimeline(em, task.incidentId, { kind: 'CALL_ATTEMPT', actor: 'system:notifications', text: `Automated call to ${describe(contact)}: ${status} (${sid})` });
      // unanswered: the next contact now rather than at the timer
      if (task.status === 'OPEN' && task.currentIndex === call.contactIndex) {
        await this.countAttempt(em, task);
        await this.step(em, task, now, 'system:notifications', entry(status.toUpperCase().replace('-', '_')));
      }
    });
    return true;
  }

  // ----- shared -----

  private async step(em: EntityManager, task: CallTaskEntity, now: Date, actor: string, entry: CallLogEntry): Promise<void> {
    const next = (task.currentIndex + 1) % task.contacts.length;
    if (next === 0) task.rounds += 1;
    task.currentIndex = next;
    task.nextStepAt = new Date(now.getTime() + this.stepMs);
    await this.repo.saveCallTask(em, task, entry);
    const contact = task.contacts[next];
    await this.core.appendTimeline(em, task.incidentId, { kind: 'CALL_ESCALATED', actor, text: `Now calling ${describe(contact)}${next === 0 ? ' (the list again from the top)' : ''}` });
    if (this.voice.enabled && contact?.phone) await this.jobs.send(this.voiceJob, { callTaskId: task.id, contactIndex: next }, { em });
  }

  private async close(em: EntityManager, task: CallTaskEntity, status: 'REACHED' | 'ACKNOWLEDGED', at: Date, entry: CallLogEntry): Promise<void> {
    task.status = status;
    task.closedAt = at;
    await this.repo.saveCallTask(em, task, entry);
    if (status === 'REACHED') {
      await this.repo.updateNotification(em, task.notificationId, { status: 'DELIVERED', sentAt: at, error: null });
      await this.core.stopFirstReport(em, task.incidentId, at);
      await this.core.markNotified(em, task.incidentId, at);
    }
  }

  private async countAttempt(em: EntityManager, task: CallTaskEntity): Promise<void> {
    const n = await this.repo.find(task.notificationId, em);
    if (n) await this.repo.updateNotification(em, n.id, { attempts: n.attempts + 1 });
  }
}
