import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@kanshi/calendar';
import { EventEnvelope, SensorLivenessChangedBody, SocSeverity, VerdictIssuedV2Body } from '@kanshi/events';
import { PermanentEventError } from '@kanshi/messaging';
import { createLogger } from '@kanshi/observability';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentLifecycle, SeverityDecision } from '../incidents/incident-lifecycle';
import { higher, IncidentOpener } from '../incidents/incident-opener';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { IncidentWriter } from '../incidents/incident-writer';
import { SensorsRepository } from '../sensors/sensors.repository';
import { IncidentTimeline } from '../timeline/incident-timeline';
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

  private raise(incident: IncidentEntity, v: VerdictIssuedV2Body, _now: Date): SeverityDecision | null {
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
