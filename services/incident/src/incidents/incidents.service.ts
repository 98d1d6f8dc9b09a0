import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { IncidentSeverityConfirmed } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { ConnectionShape, pageOf, TenantDirectory } from '@kanshi/platform';
import { DutyRoster } from '../roster/roster.service';
import { IncidentTimeline } from '../timeline/incident-timeline';
import { pauseClocks, resumeClocks } from '../sla/sla-clocks';
import { AssignIncidentArgs } from './assign-incident.args';
import { CommentIncidentArgs } from './comment-incident.args';
import { ConfirmSeverityArgs } from './confirm-severity.args';
import { EscalateIncidentArgs } from './escalate-incident.args';
import { IncidentEntity } from './incident.entity';
import { IncidentFilter } from './incident-filter.input';
import { IncidentLifecycle, SeverityDecision } from './incident-lifecycle';
import { higher, IncidentOpener } from './incident-opener';
import { IncidentSla } from './incident-sla';
import { assertTransition, isFinished } from './incident-transitions';
import { changedBody, IncidentWriter } from './incident-writer';
import { IncidentError } from './incidents.errors';
import { IncidentsPermissions } from './incidents.permissions';
import { IncidentOrder, IncidentsRepository } from './incidents.repository';
import { MarkDuplicateArgs } from './mark-duplicate.args';
import { MergeIncidentsArgs } from './merge-incidents.args';
import { OpenIncidentInput } from './open-incident.input';
import { IncidentReasonArgs } from './reason.args';
import { ResolveIncidentArgs } from './resolve-incident.args';
import { TransitionIncidentArgs } from './transition-incident.args';
import { WriteFindingsArgs } from './write-findings.args';

// What a change did besides the row: a status change and a severity decision go to the lifecycle
// handlers after the row is saved.
interface ChangeEffects {
  severity?: SeverityDecision;
}

@Injectable()
export class IncidentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: IncidentsRepository,
    private readonly directory: TenantDirectory,
    private readonly outbox: Outbox,
    private readonly opener: IncidentOpener,
    private readonly writer: IncidentWriter,
    private readonly timeline: IncidentTimeline,
    private readonly lifecycle: IncidentLifecycle,
    private readonly sla: IncidentSla,
    private readonly roster: DutyRoster,
    private readonly clock: Clock,
  ) {}

  // The caller's incidents, newest first (or the analysts' queue, soonest SLA due first); another
  // tenant's never appear, even when filtered for.
  async page(principal: Principal, filter: IncidentFilter = {}, first = 50, after?: string, order: IncidentOrder = 'NEWEST'): Promise<ConnectionShape<IncidentEntity>> {
    authorize(principal, IncidentsPermissions.readIncidents);
    const rows = await this.repo.page(scopeOf(principal), filter, first + 1, after, order);
    return pageOf(rows, first, (i) => ({ sortKey: (order === 'SLA_DUE' ? i.nextDueAt! : i.createdAt).toISOString(), id: i.id }));
  }

  // Another tenant's incident is absent from the map, so it reads as null like a missing one.
  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, IncidentEntity>> {
    authorize(principal, IncidentsPermissions.readIncidents);
    const rows = await this.repo.visibleByIds(scopeOf(principal), ids);
    return new Map(rows.map((i) => [i.id, i]));
  }

  // For Incident.timeline / alerts / sla.pauses of incidents the caller already got (scoped reads).
  // Customers and partners read only the entries meant for the customer (no INTERNAL ones).
  async timelines(principal: Principal, incidentIds: readonly string[]) {
    authorize(principal, IncidentsPermissions.readIncidents);
    return this.timeline.forIncidents(incidentIds, 500, !principal.isProvider);
  }

  async alertIds(principal: Principal, incidentIds: readonly string[]): Promise<Map<string, string[]>> {
    authorize(principal, IncidentsPermissions.readIncidents);
    return this.repo.alertIdsOf(incidentIds);
  }

  async pauses(principal: Principal, incidentIds: readonly string[]) {
    authorize(principal, IncidentsPermissions.readIncidents);
    return this.repo.pausesOf(incidentIds);
  }

  // Analysts open incidents by hand too: a phone call from the customer, a finding in a log search.
  // The severity stays provisional (no lifecycle decision) until confirmSeverity.
  async open(principal: Principal, input: OpenIncidentInput): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.openIncidents);
    await this.directory.visibleCustomerOrThrow(principal, input.customerId);
    return this.ds.transaction(async (em) => {
      const incident = await this.opener.open(em, {
        customerId: input.customerId,
        kind: 'SECURITY',
        severity: input.severity,
        title: input.title,
        description: input.description,
        openedBy: principal.subject,
        arrivedAt: this.clock.now(),
        openingNote: `opened by hand: ${input.title}`,
      });
      await this.writer.publishSnapshot(em, incident);
      return incident;
    });
  }

  // The analyst's severity decision: stops the analysis clock, starts the MDR report clocks, moves
  // a NEW incident to TRIAGED. Two analysts at once: the second gets VERSION_CONFLICT.
  async confirmSeverity(principal: Principal, args: ConfirmSeverityArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.confirmSeverity);
    return this.change(principal, args.id, args.expectedVersion, async (em, i, now) => {
      this.assertOpen(i);
      const previous = i.severity;
      i.severity = args.severity;
      i.severityConfirmedAt = now;
      i.severityConfirmedBy = principal.subject;
      const notes = this.sla.severityConfirmed(i, args.severity, now);
      const was = previous === args.severity ? '' : ` (was ${previous})`;
      await this.timeline.append(em, i.id, { kind: 'SEVERITY', actor: principal.subject, text: `severity confirmed ${args.severity}${was}: ${args.rationale}`, at: now });
      for (const text of notes) await this.timeline.append(em, i.id, { kind: 'SLA', actor: 'system:sla', text, at: now });
      if (i.status === 'NEW') await this.writer.setStatus(em, i, 'TRIAGED', principal.subject, now, 'severity confirmed');
      await this.outbox.add(em, IncidentSeverityConfirmed, changedBody(i), { customerId: i.customerId });
      return { severity: { severity: args.severity, automatic: false, actor: principal.subject, previous } };
    });
  }

  // The customer saw it.
  async acknowledge(principal: Principal, id: string): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.acknowledgeIncidents);
    return this.change(principal, id, undefined, async (em, i, now) => {
      if (i.acknowledgedAt) return;
      i.acknowledgedAt = now;
      i.acknowledgedBy = principal.subject;
      await this.timeline.append(em, i.id, { kind: 'ACKNOWLEDGED', actor: principal.subject, text: 'acknowledged by the customer', at: now });
      await this.lifecycle.acknowledged(em, i, principal.subject, now);
    });
  }

  async resolve(principal: Principal, args: ResolveIncidentArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.workIncidents);
    return this.change(principal, args.id, args.expectedVersion, async (em, i, now) => {
      assertTransition(i.status, 'RESOLVED');
      i.resolutionSummary = args.summary;
      await this.writer.setStatus(em, i, 'RESOLVED', principal.subject, now, args.summary);
    });
  }

  // Any move the workflow allows (incident-transitions.ts); an unknown one is BAD_USER_INPUT naming
  // the current and the requested status.
  async transition(principal: Principal, args: TransitionIncidentArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.workIncidents);
    return this.change(principal, args.id, args.expectedVersion, async (em, i, now) => {
      assertTransition(i.status, args.status);
      await this.writer.setStatus(em, i, args.status, principal.subject, now, args.note);
    });
  }

  async assign(principal: Principal, args: AssignIncidentArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.workIncidents);
    return this.change(principal, args.id, args.expectedVersion, async (em, i, now) => {
      if (args.tier === 1) i.tier1Assignee = args.assignee;
      else i.tier2Assignee = args.assignee;
      await this.timeline.append(em, i.id, { kind: 'ASSIGNMENT', actor: principal.subject, text: `tier ${args.tier}: ${args.assignee}`, at: now });
    });
  }

  // Second response: a tier-2 analyst (the one named, the one assigned, or the one on duty now).
  async escalateToTier2(principal: Principal, args: EscalateIncidentArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.workIncidents);
    return this.change(principal, args.id, args.expectedVersion, async (em, i, now) => {
      this.assertOpen(i);
      const assignee = args.assignee ?? i.tier2Assignee ?? (await this.roster.onDuty(em, 2, now))?.person ?? null;
      i.tier2Assignee = assignee;
      i.escalatedAt = now;
      await this.timeline.append(em, i.id, { kind: 'ESCALATION', actor: principal.subject, text: `escalated to tier 2${assignee ? ` (${assignee})` : ' (nobody on duty: unassigned)'}: ${args.reason}`, at: now });
    });
  }

  // Customers and staff; on the timeline. A staff comment is INTERNAL unless marked CUSTOMER; a
  // customer's is always CUSTOMER.
  async comment(principal: Principal, args: CommentIncidentArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.commentIncidents);
    if (!principal.isProvider && args.visibility === 'INTERNAL') throw new IncidentError('BAD_VISIBILITY', 'a customer’s comment is always visible to the customer side: leave visibility out or give CUSTOMER', 'visibility');
    const visibility = principal.isProvider ? (args.visibility ?? 'INTERNAL') : 'CUSTOMER';
    return this.change(principal, args.id, undefined, async (em, i, now) => {
      await this.timeline.append(em, i.id, { kind: 'COMMENT', actor: principal.subject, text: args.text, at: now, visibility });
    });
  }

  async writeFindings(principal: Principal, args: WriteFindingsArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.writeFindings);
    return this.change(principal, args.id, args.expectedVersion, async (em, i, now) => {
      const changed: string[] = [];
      if (args.whatIsHappening !== undefined) {
        i.whatIsHappening = args.whatIsHappening;
        changed.push('what is happening');
      }
      if (args.howDangerous !== undefined) {
        i.howDangerous = args.howDangerous;
        changed.push('how dangerous');
      }
      if (args.whatToDo !== undefined) {
        i.whatToDo = args.whatToDo;
        changed.push('what to do');
      }
      if (!changed.length) throw new IncidentError('NOTHING_TO_WRITE', 'write at least one of whatIsHappening, howDangerous, whatToDo', 'whatIsHappening');
      await this.timeline.append(em, i.id, { kind: 'FINDINGS', actor: principal.subject, text: `findings written: ${changed.join(', ')}`, at: now });
    });
  }

  // The source is CLOSED pointing at the target; its verdicts, alerts and timeline move to the target,
  // whose severity is raised to the higher of the two.
  async merge(principal: Principal, args: MergeIncidentsArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.mergeIncidents);
    if (args.sourceId === args.targetId) throw new IncidentError('BAD_MERGE', 'an incident cannot be merged into itself', 'targetId');
    return this.ds.transaction(async (em) => {
      const scope = scopeOf(principal);
      const source = await this.repo.visible(em, scope, args.sourceId);
      if (!source) throw notFound(args.sourceId, 'sourceId');
      const target = await this.repo.visible(em, scope, args.targetId);
      if (!target) throw notFound(args.targetId, 'targetId');
      if (source.customerId !== target.customerId) throw new IncidentError('BAD_MERGE', 'only incidents of the same customer can be merged', 'targetId');
      if (source.status === 'CLOSED') throw new IncidentError('BAD_MERGE', `incident ${source.id} is already CLOSED`, 'sourceId');
      if (isFinished(target.status)) throw new IncidentError('BAD_MERGE', `incident ${target.id} is ${target.status}: merge into an open incident`, 'targetId');
      const now = this.clock.now();
      const [sourceVersion, targetVersion] = [source.version, target.version];
      await this.repo.moveVerdicts(em, source.id, target.id);
      await this.timeline.moveAll(em, source.id, target.id);
      const why = args.reason ? `: ${args.reason}` : '';
      await this.timeline.append(em, target.id, { kind: 'MERGE', actor: principal.subject, text: `incident ${source.id} (${source.title}) merged into this one${why}`, at: now });
      await this.timeline.append(em, source.id, { kind: 'MERGE', actor: principal.subject, text: `merged into incident ${target.id}${why}`, at: now });
      source.mergedInto = target.id;
      const sourceFrom = source.status;
      await this.writer.setStatus(em, source, 'CLOSED', principal.subject, now);
      let decision: SeverityDecision | undefined;
      if (higher(source.severity, target.severity)) {
        decision = { severity: source.severity, automatic: false, actor: principal.subject, previous: target.severity };
        target.severity = source.severity;
        await this.timeline.append(em, target.id, { kind: 'SEVERITY', actor: principal.subject, text: `severity raised to ${source.severity} by the merge`, at: now });
      }
      await this.writer.save(em, source, sourceVersion);
      await this.writer.save(em, target, targetVersion);
      await this.lifecycle.statusChanged(em, source, { from: sourceFrom, to: 'CLOSED', actor: principal.subject });
      if (decision) await this.lifecycle.severityDecided(em, target, decision);
      return target;
    });
  }

  async markDuplicate(principal: Principal, args: MarkDuplicateArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.workIncidents);
    if (args.id === args.duplicateOf) throw new IncidentError('BAD_MERGE', 'an incident cannot duplicate itself', 'duplicateOf');
    return this.change(principal, args.id, undefined, async (em, i, now) => {
      const original = await this.repo.visible(em, scopeOf(principal), args.duplicateOf);
      if (!original) throw notFound(args.duplicateOf, 'duplicateOf');
      if (original.customerId !== i.customerId) throw new IncidentError('BAD_MERGE', 'a duplicate must be of the same customer’s incident', 'duplicateOf');
      this.assertNotClosed(i);
      i.disposition = 'DUPLICATE';
      i.duplicateOf = original.id;
      i.dispositionReason = args.reason;
      await this.timeline.append(em, i.id, { kind: 'DISPOSITION', actor: principal.subject, text: `duplicate of incident ${original.id}: ${args.reason}`, at: now });
      await this.writer.setStatus(em, i, 'CLOSED', principal.subject, now);
    });
  }

  async markFalsePositive(principal: Principal, args: IncidentReasonArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.workIncidents);
    return this.change(principal, args.id, undefined, async (em, i, now) => {
      this.assertNotClosed(i);
      i.disposition = 'FALSE_POSITIVE';
      i.dispositionReason = args.reason;
      await this.timeline.append(em, i.id, { kind: 'DISPOSITION', actor: principal.subject, text: `false positive: ${args.reason}`, at: now });
      await this.writer.setStatus(em, i, 'CLOSED', principal.subject, now);
    });
  }

  // Waiting for the customer: every running clock holds; resuming moves their due times by the pause.
  async pauseSla(principal: Principal, args: IncidentReasonArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.workIncidents);
    return this.change(principal, args.id, undefined, async (em, i, now) => {
      this.assertOpen(i);
      if (i.pausedAt) throw new IncidentError('PAUSE_STATE', `the SLA clocks of incident ${i.id} are already paused (since ${i.pausedAt.toISOString()})`, 'id');
      pauseClocks(i, now);
      i.pauseReason = args.reason;
      await this.repo.startPause(em, i.id, now, args.reason, principal.subject);
      await this.timeline.append(em, i.id, { kind: 'SLA', actor: principal.subject, text: `SLA clocks paused: ${args.reason}`, at: now });
    });
  }

  async resumeSla(principal: Principal, id: string): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.workIncidents);
    return this.change(principal, id, undefined, async (em, i, now) => {
      if (!i.pausedAt) throw new IncidentError('PAUSE_STATE', `the SLA clocks of incident ${i.id} are not paused`, 'id');
      const pausedMs = resumeClocks(i, now);
      i.pauseReason = null;
      await this.repo.endPause(em, i.id, now);
      await this.timeline.append(em, i.id, { kind: 'SLA', actor: principal.subject, text: `SLA clocks resumed after ${Math.round(pausedMs / 60_000)} min`, at: now });
    });
  }

  // One change of one visible incident, under optimistic locking: read (scoped), check the version
  // the caller saw, change, save (VERSION_CONFLICT when another wrote in between), then tell the
  // lifecycle handlers, all in one transaction.
  // A caller that names no expectedVersion means "whatever it is now": when background work (a mail
  // delivered, a clock stopped) moves the row between this change's read and its write, the change
  // is tried again on the new version rather than refused. With expectedVersion the conflict stands.
  private async change(principal: Principal, id: string, expectedVersion: number | undefined, work: (em: EntityManager, i: IncidentEntity, now: Date) => Promise<ChangeEffects | void>): Promise<IncidentEntity> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.changeOnce(principal, id, expectedVersion, work);
      } catch (err) {
        const raced = err instanceof IncidentError && err.code === 'VERSION_CONFLICT' && err.field === 'id';
        if (!raced || expectedVersion !== undefined || attempt >= 3) throw err;
      }
    }
  }

  private changeOnce(principal: Principal, id: string, expectedVersion: number | undefined, work: (em: EntityManager, i: IncidentEntity, now: Date) => Promise<ChangeEffects | void>): Promise<IncidentEntity> {
    return this.ds.transaction(async (em) => {
      const incident = await this.repo.visible(em, scopeOf(principal), id);
      if (!incident) throw notFound(id, 'id');
      const readVersion = incident.version;
      if (expectedVersion !== undefined && expectedVersion !== readVersion) {
        throw new IncidentError('VERSION_CONFLICT', `incident ${id} is at version ${readVersion}, not ${expectedVersion}: someone else changed it; read it again and retry`, 'expectedVersion');
      }
      const fromStatus = incident.status;
      const effects = await work(em, incident, this.clock.now());
      await this.writer.save(em, incident, readVersion);
      if (incident.status !== fromStatus) await this.lifecycle.statusChanged(em, incident, { from: fromStatus, to: incident.status, actor: principal.subject });
      if (effects && effects.severity) await this.lifecycle.severityDecided(em, incident, effects.severity);
      return incident;
    });
  }

  private assertOpen(i: IncidentEntity): void {
    if (isFinished(i.status)) throw new IncidentError('INCIDENT_FINISHED', `incident ${i.id} is ${i.status}; reopen it first`, 'id');
  }

  private assertNotClosed(i: IncidentEntity): void {
    if (i.status === 'CLOSED') throw new IncidentError('INCIDENT_FINISHED', `incident ${i.id} is already CLOSED`, 'id');
  }
}

const notFound = (id: string, field: string) => new IncidentError('INCIDENT_NOT_FOUND', `incident ${id} not found`, field);

