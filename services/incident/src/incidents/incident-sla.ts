import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@kanshi/calendar';
import { SlaClockValue, SocSeverity } from '@kanshi/events';
import { CustomerTermsView } from '../customer-terms/customer-terms';
import { IncidentTimeline, TimelineEntryInput } from '../timeline/incident-timeline';
import { CLOCK_COLUMNS, nextDueAt, stopClock } from '../sla/sla-clocks';
import { SlaPolicy, SlaTerms } from '../sla/sla-policy';
import { IncidentEntity } from './incident.entity';
import { IncidentsRepository } from './incidents.repository';
import { IncidentWriter } from './incident-writer';

const CLOCK_NAMES: Record<SlaClockValue, string> = { ANALYSIS: 'analysis', FIRST_REPORT: 'first report', DETAILED_REPORT: 'detailed report' };

export const termsOf = (terms: CustomerTermsView | null): SlaTerms => ({ plan: terms?.plan ?? null, serviceHours: terms?.serviceHours ?? null });

// The SLA clocks of incidents: set when an incident opens (analysis) and when its severity is
// decided (MDR reports), stopped on their named events. `stopFirstReport` and `stopDetailedReport`
// are the seams for the modules that deliver notifications and reports.
@Injectable()
export class IncidentSla {
  readonly policy: SlaPolicy;

  constructor(
    calendar: BusinessCalendar,
    private readonly repo: IncidentsRepository,
    private readonly writer: IncidentWriter,
    private readonly timeline: IncidentTimeline,
  ) {
    this.policy = new SlaPolicy(calendar);
  }

  // The analysis clock of a new incident (not yet saved), from the contract in force at arrival.
  startAnalysis(incident: Partial<IncidentEntity>, terms: SlaTerms, arrivedAt: Date): void {
    incident.slaPlan = terms.plan;
    incident.slaServiceHours = terms.serviceHours;
    incident.analysisDueAt = this.policy.analysisDueAt(arrivedAt, terms);
    incident.nextDueAt = incident.analysisDueAt;
  }

  // The analyst decided the severity: the analysis clock stops; on MDR the report clocks start
  // (once: a later re-decision does not restart them). Returns what changed, for the timeline.
  severityConfirmed(incident: IncidentEntity, severity: SocSeverity, at: Date): string[] {
    const notes: string[] = [];
    if (stopClock(incident, 'ANALYSIS', at)) notes.push(`analysis clock stopped at ${at.toISOString()}`);
    const terms: SlaTerms = { plan: incident.slaPlan as SlaTerms['plan'], serviceHours: incident.slaServiceHours as SlaTerms['serviceHours'] };
    if (this.policy.reportClocksApply(terms, severity) && !incident.firstReportDueAt) {
      incident.firstReportDueAt = this.policy.firstReportDueAt(at);
      incident.detailedReportDueAt = this.policy.detailedReportDueAt(at);
      notes.push(`first report due ${incident.firstReportDueAt.toISOString()}, detailed report due ${incident.detailedReportDueAt.toISOString()}`);
    }
    incident.nextDueAt = nextDueAt(incident);
    return notes;
  }

  // The first notification was delivered (mail accepted by the relay, or a call answered). Writes
  // in the caller's transaction; false when the clock was not running (not set, or already stopped).
  stopFirstReport(em: EntityManager, incidentId: string, at: Date, actor = 'system:notifications'): Promise<boolean> {
    return this.stop(em, incidentId, 'FIRST_REPORT', at, actor);
  }

  // The approved detailed analysis report was sent.
  stopDetailedReport(em: EntityManager, incidentId: string, at: Date, actor = 'system:reporting'): Promise<boolean> {
    return this.stop(em, incidentId, 'DETAILED_REPORT', at, actor);
  }

  // stopFirstReport() of an incident the caller locked and saves (with its other changes).
  stopFirstReportOf(em: EntityManager, incident: IncidentEntity, at: Date, actor = 'system:notifications'): Promise<boolean> {
    return this.stopLocked(em, incident, 'FIRST_REPORT', at, actor);
  }

  private async stop(em: EntityManager, incidentId: string, clock: SlaClockValue, at: Date, actor: string): Promise<boolean> {
    const incident = await this.repo.lock(em, incidentId);
    if (!incident || !(await this.stopLocked(em, incident, clock, at, actor))) return false;
    await this.writer.save(em, incident);
    return true;
  }

  // stopFirstReportOf() without the write: the clock stopped on the entity and the timeline entry
  // that says so, for a caller that writes many incidents' entries at once; null when the clock was
  // not running.
  firstReportStopped(incident: IncidentEntity, at: Date, actor = 'system:notifications'): TimelineEntryInput | null {
    return this.stopped(incident, 'FIRST_REPORT', at, actor);
  }

  private async stopLocked(em: EntityManager, incident: IncidentEntity, clock: SlaClockValue, at: Date, actor: string): Promise<boolean> {
    const entry = this.stopped(incident, clock, at, actor);
    if (!entry) return false;
    await this.timeline.append(em, incident.id, entry);
    return true;
  }

  private stopped(incident: IncidentEntity, clock: SlaClockValue, at: Date, actor: string): TimelineEntryInput | null {
    if (!stopClock(incident, clock, at)) return null;
    return { kind: 'SLA', actor, text: `${CLOCK_NAMES[clock]} clock stopped (met ${at <= incident[CLOCK_COLUMNS[clock].due]! ? 'in time' : 'late'})`, at };
  }
}

export const clockName = (clock: SlaClockValue) => CLOCK_NAMES[clock];
