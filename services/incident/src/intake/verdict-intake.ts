import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@kanshi/calendar';
import { EventEnvelope, SensorLivenessChangedBody, SocSeverity, VerdictIssuedV2Body } from '@kanshi/events';
import { PermanentEventError } from '@kanshi/messaging';
import { createLogger } from '@kanshi/observability';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentLifecycle, SeverityDecision } from '../incidents/incident-lifecycle';
import { higher, IncidentDraft, IncidentOpener } from '../incidents/incident-opener';
import { isFinished } from '../incidents/incident-transitions';
import { IncidentsRepository, IncidentVerdictRow } from '../incidents/incidents.repository';
import { IncidentWriter } from '../incidents/incident-writer';
import { SensorsRepository } from '../sensors/sensors.repository';
import { IncidentTimeline, TimelineEntryInput } from '../timeline/incident-timeline';
import { AvailabilityGate } from './availability-gate';
import { IntakeRepository } from './intake.repository';

const SYSTEM = 'system:analysis';

export function verdictTitle(v: VerdictIssuedV2Body): string {
  return v.signature ?? v.reasons[0]?.text ?? `${v.product} alert`;
}

function verdictText(v: VerdictIssuedV2Body): string {
  const hosts = v.endpoints.map((e) => e.hostName ?? e.ip).filter(Boolean);
  const on = hosts.length ? ` on ${hosts.join(', ')}` : '';
  const how = v.overridden ? `overridden by an analyst${v.overrideRationale ? `: ${v.overrideRationale}` : ''}` : 'automatic';
  return `verdict ${v.verdictId}: ${v.severity} (${how}), ${verdictTitle(v)}${on}, ${v.alertIds.length} alert(s)`;
}

// Verdicts and sensor liveness into incidents, in the consumer's transaction (the inbox makes a
// redelivered event a no-op; the unique indexes make two racing consumers open one incident).
@Injectable()
export class VerdictIntake {
  private readonly log = createLogger('VerdictIntake');

  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly intake: IntakeRepository,
    private readonly sensors: SensorsRepository,
    private readonly opener: IncidentOpener,
    private readonly writer: IncidentWriter,
    private readonly timeline: IncidentTimeline,
    private readonly lifecycle: IncidentLifecycle,
    private readonly gate: AvailabilityGate,
    private readonly clock: Clock,
  ) {}

  // One incident per alert group (a verdict without a group opens its own); later verdicts attach
  // to the open incident and may raise its severity, never silently lower it; LOW verdicts are
  // counted, not opened. A verdict published again (an analyst's override) updates its severity.
  async verdict(em: EntityManager, e: EventEnvelope<VerdictIssuedV2Body>): Promise<IncidentEntity | null> {
    const v = e.body;
    const customerId = e.customerId;
    if (!customerId) throw new PermanentEventError(`verdict ${v.verdictId} names no customer`);
    const now = this.clock.now();
    const known = await this.incidents.verdict(em, v.verdictId);
    if (known) return this.reconsider(em, known.incidentId, known.severity, v, now);
    if (v.severity === 'LOW') {
      const low = await this.intake.low(em, v.verdictId);
      if (!low) await this.intake.countLow(em, { verdictId: v.verdictId, customerId, sensorId: v.sensorId, groupId: v.groupId, title: verdictTitle(v), alertIds: v.alertIds, decidedAt: new Date(v.decidedAt) });
      return null;
    }
    const open = v.groupId ? await this.incidents.openOfGroup(em, v.groupId) : null;
    if (open) return this.attach(em, open, v, now);
    // the group's incident was merged into another one: the verdict follows the merge pointer
    const survivor = v.groupId ? await this.incidents.survivorOfGroup(em, v.groupId) : null;
    if (survivor) return this.attach(em, survivor, v, now, ` (alert group ${v.groupId}'s incident was merged into this one)`);
    const incident = await this.opener.open(em, {
      customerId,
      kind: 'SECURITY',
      severity: v.severity,
      title: verdictTitle(v),
      description: [...v.reasons.map((r) => r.text), ...v.recommendedActions.map((a) => `Action: ${a.text}`)].join('\n'),
      openedBy: SYSTEM,
      groupId: v.groupId,
      sensorId: v.sensorId,
      arrivedAt: now,
      openingNote: `opened from ${verdictText(v)}`,
    });
    await this.incidents.upsertVerdict(em, { verdictId: v.verdictId, incidentId: incident.id, severity: v.severity, alertIds: v.alertIds }, v.decidedAt);
    const low = await this.intake.low(em, v.verdictId);
    if (low) await this.intake.markRaised(em, v.verdictId, incident.id);
    await this.writer.publishSnapshot(em, incident);
    await this.lifecycle.severityDecided(em, incident, { severity: v.severity, automatic: !v.overridden, actor: v.overridden ? 'system:analysis-override' : SYSTEM, previous: null, verdict: v });
    return incident;
  }

  // verdict() of a batch of verdicts (in stream order) in one transaction, with the same outcome,
  // in a fixed number of statements: one read of what is known of the verdicts, one of the alert
  // groups' open (or merged-away) incidents, locked; then the new incidents, the raised severities,
  // the verdict rows, the LOW counts, the timeline entries, the snapshots and what the decisions
  // start (notifications, isolation hints) in a statement or two each. The verdicts of a group (or
  // of a verdict without one) that the set-based path does not cover (a verdict seen before: an
  // override or a redelivery under a new event id; the same verdict twice in the batch; a LOW
  // verdict overridden upwards; a group whose incident was merged away) go through verdict() one by
  // one, in order, after the others. A failure fails the batch: the consumer then applies its
  // verdicts one by one (ConsumerHost.registerBatch), so only the failing one is retried or parked.
  async verdicts(em: EntityManager, events: readonly EventEnvelope<VerdictIssuedV2Body>[]): Promise<void> {
    if (events.length === 1) {
      await this.verdict(em, events[0]);
      return;
    }
    for (const e of events) if (!e.customerId) throw new PermanentEventError(`verdict ${e.body.verdictId} names no customer`);
    const now = this.clock.now();
    const keyOf = (v: VerdictIssuedV2Body) => v.groupId ?? `verdict:${v.verdictId.toLowerCase()}`;
    const known = await this.incidents.knownVerdicts(
      em,
      events.map((e) => e.body.verdictId),
    );
    const slow = new Set<string>();
    const seen = new Set<string>();
    for (const { body: v } of events) {
      const id = v.verdictId.toLowerCase();
      if (known.joined.has(id) || seen.has(id) || (v.severity !== 'LOW' && known.low.has(id))) slow.add(keyOf(v));
      seen.add(id);
    }
    const groupIds = [...new Set(events.filter((e) => e.body.severity !== 'LOW' && e.body.groupId && !slow.has(keyOf(e.body))).map((e) => e.body.groupId!))];
    const open = new Map<string, IncidentEntity>();
    const merged = new Set<string>();
    for (const i of await this.incidents.openOrMergedOfGroups(em, groupIds)) {
      if (!isFinished(i.status)) open.set(i.groupId!, i);
      else merged.add(i.groupId!);
    }
    // a group whose incident was merged away follows the merge pointer (verdict() below)
    for (const g of merged) if (!open.has(g)) slow.add(g);
    const lows: EventEnvelope<VerdictIssuedV2Body>[] = [];
    const drafts: (IncidentDraft & { id: string })[] = [];
    const newOfGroup = new Map<string, { id: string; severity: SocSeverity }>();
    const touched = new Map<string, IncidentEntity>();
    const verdictRows: (IncidentVerdictRow & { decidedAt: string })[] = [];
    const entries: (TimelineEntryInput & { incidentId: string })[] = [];
    const decided: { incidentId: string; decision: SeverityDecision }[] = [];
    for (const e of events) {
      const v = e.body;
      if (slow.has(keyOf(v))) continue;
      if (v.severity === 'LOW') {
        lows.push(e);
        continue;
      }
      const existing = v.groupId ? open.get(v.groupId) : undefined;
      const target = existing ?? (v.groupId ? newOfGroup.get(v.groupId) : undefined);
      if (!target) {
        const id = randomUUID();
        drafts.push({ id, ...this.draftOf(e.customerId!, v, now) });
        if (v.groupId) newOfGroup.set(v.groupId, { id, severity: v.severity });
        verdictRows.push({ verdictId: v.verdictId, incidentId: id, severity: v.severity, alertIds: v.alertIds, decidedAt: v.decidedAt });
        decided.push({ incidentId: id, decision: this.opening(v) });
        continue;
      }
      verdictRows.push({ verdictId: v.verdictId, incidentId: target.id, severity: v.severity, alertIds: v.alertIds, decidedAt: v.decidedAt });
      entries.push({ incidentId: target.id, kind: 'VERDICT', actor: SYSTEM, text: `attached ${verdictText(v)}`, at: now });
      const decision = this.raise(target, v, now);
      if (decision) {
        entries.push({ incidentId: target.id, kind: 'SEVERITY', actor: decision.actor, text: `severity raised ${decision.previous} -> ${decision.severity} by verdict ${v.verdictId}`, at: now });
        decided.push({ incidentId: target.id, decision });
      }
      if (existing) touched.set(existing.id, existing);
    }
    await this.intake.countLowMany(
      em,
      lows.map(({ customerId, body: v }) => ({ verdictId: v.verdictId, customerId: customerId!, sensorId: v.sensorId, groupId: v.groupId, title: verdictTitle(v), alertIds: v.alertIds, decidedAt: new Date(v.decidedAt) })),
    );
    // a group's verdicts after its new incident may have raised it: the row is written raised
    for (const d of drafts) if (d.groupId) d.severity = newOfGroup.get(d.groupId)!.severity;
    const opened = await this.opener.openMany(em, drafts, now);
    await this.incidents.saveSeverities(em, [...touched.values()]);
    await this.incidents.upsertVerdicts(em, verdictRows);
    await this.timeline.appendMany(em, [...opened.timeline, ...entries]);
    const written = [...opened.incidents, ...touched.values()];
    await this.writer.publishSnapshots(em, written);
    const byId = new Map(written.map((i) => [i.id, i]));
    await this.lifecycle.severityDecidedMany(
      em,
      decided.map((d) => ({ incident: byId.get(d.incidentId)!, decision: d.decision })),
    );
    // what the set-based path left, one by one in stream order
    for (const e of events) if (slow.has(keyOf(e.body))) await this.verdict(em, e);
  }

  private draftOf(customerId: string, v: VerdictIssuedV2Body, now: Date): IncidentDraft {
    return {
      customerId,
      kind: 'SECURITY',
      severity: v.severity,
      title: verdictTitle(v),
      description: [...v.reasons.map((r) => r.text), ...v.recommendedActions.map((a) => `Action: ${a.text}`)].join('\n'),
      openedBy: SYSTEM,
      groupId: v.groupId,
      sensorId: v.sensorId,
      arrivedAt: now,
      openingNote: `opened from ${verdictText(v)}`,
    };
  }

  private opening(v: VerdictIssuedV2Body): SeverityDecision {
    return { severity: v.severity, automatic: !v.overridden, actor: v.overridden ? 'system:analysis-override' : SYSTEM, previous: null, verdict: v };
  }

  private async attach(em: EntityManager, incident: IncidentEntity, v: VerdictIssuedV2Body, now: Date, why = ''): Promise<IncidentEntity> {
    await this.incidents.upsertVerdict(em, { verdictId: v.verdictId, incidentId: incident.id, severity: v.severity, alertIds: v.alertIds }, v.decidedAt);
    await this.timeline.append(em, incident.id, { kind: 'VERDICT', actor: SYSTEM, text: `attached ${verdictText(v)}${why}`, at: now });
    const decision = this.raise(incident, v, now);
    if (decision) await this.timeline.append(em, incident.id, { kind: 'SEVERITY', actor: decision.actor, text: `severity raised ${decision.previous} -> ${decision.severity} by verdict ${v.verdictId}`, at: now });
    await this.writer.save(em, incident);
    if (decision) await this.lifecycle.severityDecided(em, incident, decision);
    return incident;
  }

  // A verdict seen before: a redelivery under a new event id changes nothing; an override changes
  // the verdict's severity and, when it is now the highest, the incident's. An override may lower
  // the incident only while no analyst confirmed its severity here, and only to the highest of its
  // verdicts (it is an analyst's decision, so it is not "silent").
  private async reconsider(em: EntityManager, incidentId: string, previous: SocSeverity, v: VerdictIssuedV2Body, now: Date): Promise<IncidentEntity | null> {
    if (previous === v.severity) return null;
    const incident = await this.incidents.lock(em, incidentId);
    if (!incident) return null;
    await this.incidents.upsertVerdict(em, { verdictId: v.verdictId, incidentId, severity: v.severity, alertIds: v.alertIds }, v.decidedAt);
    await this.timeline.append(em, incidentId, { kind: 'VERDICT', actor: 'system:analysis-override', text: `verdict ${v.verdictId} changed ${previous} -> ${v.severity}${v.overrideRationale ? `: ${v.overrideRationale}` : ''}`, at: now });
    const highest = (await this.incidents.verdictsOf(em, incidentId)).map((x) => x.severity).reduce((a, b) => (higher(b, a) ? b : a), 'LOW' as SocSeverity);
    let decision: SeverityDecision | null = null;
    const mayLower = v.overridden && !incident.severityConfirmedAt && higher(incident.severity, highest);
    if (higher(highest, incident.severity) || mayLower) {
      decision = { severity: highest, automatic: !v.overridden, actor: v.overridden ? 'system:analysis-override' : SYSTEM, previous: incident.severity, verdict: v };
      incident.severity = highest;
      await this.timeline.append(em, incidentId, { kind: 'SEVERITY', actor: decision.actor, text: `severity ${decision.previous} -> ${highest} after verdict ${v.verdictId} changed`, at: now });
    }
    await this.writer.save(em, incident);
    if (decision) await this.lifecycle.severityDecided(em, incident, decision);
    return incident;
  }

  private raise(incident: { severity: SocSeverity }, v: VerdictIssuedV2Body, _now: Date): SeverityDecision | null {
    if (!higher(v.severity, incident.severity)) return null;
    const decision: SeverityDecision = { severity: v.severity, automatic: !v.overridden, actor: v.overridden ? 'system:analysis-override' : SYSTEM, previous: incident.severity, verdict: v };
    incident.severity = v.severity;
    return decision;
  }

  // DOWN opens an availability incident for the sensor (unless one is open, or the gate suppresses
  // it); UP resolves it.
  async liveness(em: EntityManager, e: EventEnvelope<SensorLivenessChangedBody>): Promise<IncidentEntity | null> {
    const { sensorId, status, lastSeenAt } = e.body;
    const now = this.clock.now();
    await this.sensors.setLiveness(em, sensorId, status, now);
    const sensor = await this.sensors.byId(em, sensorId);
    const customerId = e.customerId ?? sensor?.customerId;
    if (!customerId) throw new PermanentEventError(`sensor ${sensorId}: no customer on the event and none known`);
    const name = sensor?.name ?? sensorId;
    const open = await this.incidents.openAvailabilityOf(em, sensorId);
    if (status === 'UP') {
      if (!open) return null;
      open.resolutionSummary = `sensor ${name} is up again`;
      const from = open.status;
      await this.writer.setStatus(em, open, 'RESOLVED', 'system:liveness', now, `sensor ${name} is up again`);
      await this.writer.save(em, open);
      await this.lifecycle.statusChanged(em, open, { from, to: 'RESOLVED', actor: 'system:liveness' });
      return open;
    }
    if (open) return null;
    const suppressed = await this.gate.suppression(em, { customerId, sensorId, at: now });
    if (suppressed) {
      this.log.info({ sensorId, customerId, reason: suppressed }, 'availability incident suppressed');
      return null;
    }
    const since = lastSeenAt ? ` since ${lastSeenAt}` : '';
    return this.openAvailability(em, customerId, sensorId, `Sensor ${name} (${sensor?.product ?? 'unknown product'}) has not been heard from${since}.`, `sensor ${name} went down (not heard from${since})`);
  }

  // A maintenance window that suppressed the sensor's DOWN has ended (or was cancelled) and the
  // sensor is still DOWN: the availability incident opens now, unless one is open or another
  // window covers the sensor.
  async stillDownAfterMaintenance(em: EntityManager, customerId: string, sensorId: string, windowId: string): Promise<IncidentEntity | null> {
    const now = this.clock.now();
    if (await this.incidents.openAvailabilityOf(em, sensorId)) return null;
    if (await this.gate.suppression(em, { customerId, sensorId, at: now })) return null;
    const sensor = await this.sensors.byId(em, sensorId);
    const name = sensor?.name ?? sensorId;
    return this.openAvailability(
      em,
      customerId,
      sensorId,
      `Sensor ${name} (${sensor?.product ?? 'unknown product'}) went down during maintenance window ${windowId} and is still down now that it is over.`,
      `sensor ${name} is still down after maintenance window ${windowId}`,
    );
  }

  private async openAvailability(em: EntityManager, customerId: string, sensorId: string, description: string, openingNote: string): Promise<IncidentEntity> {
    const sensor = await this.sensors.byId(em, sensorId);
    const incident = await this.opener.open(em, {
      customerId,
      kind: 'AVAILABILITY',
      severity: 'MEDIUM',
      title: `Sensor ${sensor?.name ?? sensorId} is down`,
      description,
      openedBy: 'system:liveness',
      sensorId,
      arrivedAt: this.clock.now(),
      openingNote,
    });
    await this.writer.publishSnapshot(em, incident);
    await this.lifecycle.severityDecided(em, incident, { severity: 'MEDIUM', automatic: true, actor: 'system:liveness', previous: null });
    return incident;
  }
}
