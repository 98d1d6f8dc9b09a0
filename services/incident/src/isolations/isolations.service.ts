import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { IsolationOutcomeBody, IsolationReleaseRequested, IsolationRequested } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { CustomerTerms, CustomerTermsView } from '../customer-terms/customer-terms';
import { SeverityDecision } from '../incidents/incident-lifecycle';
import { isFinished } from '../incidents/incident-transitions';
import { IncidentWriter } from '../incidents/incident-writer';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentLifecycle } from '../incidents/incident-lifecycle';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { NotificationsService } from '../notifications/notifications.service';
import { IncidentTimeline } from '../timeline/incident-timeline';
import { EndpointView } from './endpoint-view';
import { IsolationEntity } from './isolation.entity';
import { IsolationError } from './isolations.errors';
import { IsolationsPermissions } from './isolations.permissions';
import { IsolationsRepository } from './isolations.repository';

export const AUTO_ISOLATION_ACTOR = 'system:auto-isolation';
const ACTOR = 'system:isolation';

export type IsolationOutcomeKind = 'ISOLATED' | 'FAILED' | 'RELEASED';

// Endpoint isolation for incidents (issue 11 item 4). A HIGH severity on an MDR contract with prior
// agreement asks endpoint-response to isolate at once (an analyst's decision, or an automatic verdict
// where the contract allows it), the endpoint matched in the read model on the verdicts' agent id,
// host name or address; otherwise an analyst requests it or the customer's administrator approves
// it. One active isolation per incident and endpoint: a redelivered decision asks nothing twice.
@Injectable()
export class IsolationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: IsolationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly writer: IncidentWriter,
    private readonly lifecycle: IncidentLifecycle,
    private readonly timeline: IncidentTimeline,
    private readonly terms: CustomerTerms,
    private readonly notifications: NotificationsService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  // The lifecycle hook, in the transaction that decided the severity.
  async onSeverityDecided(em: EntityManager, incident: IncidentEntity, d: SeverityDecision): Promise<IsolationEntity[]> {
    if (d.verdict) await this.repo.addHints(em, incident.id, d.verdict.endpoints);
    return this.isolateIfAgreed(em, incident, d);
  }

  // onSeverityDecided() of a batch's decisions: the verdicts' endpoint hints in one read and one
  // write; the contract read once per customer, and only for HIGH decisions.
  async onSeverityDecidedMany(em: EntityManager, decisions: readonly { incident: IncidentEntity; decision: SeverityDecision }[]): Promise<void> {
    await this.repo.addHintsMany(
      em,
      decisions.flatMap(({ incident, decision }) => (decision.verdict ? [{ incidentId: incident.id, hints: decision.verdict.endpoints }] : [])),
    );
    const terms = new Map<string, CustomerTermsView | null>();
    for (const { incident, decision } of decisions) {
      if (decision.severity !== 'HIGH' || incident.kind !== 'SECURITY' || isFinished(incident.status)) continue;
      if (!terms.has(incident.customerId)) terms.set(incident.customerId, await this.terms.forCustomer(incident.customerId, em));
      await this.isolateIfAgreed(em, incident, decision, terms.get(incident.customerId));
    }
  }

  // `known`: the customer's terms when the caller has read them.
  private async isolateIfAgreed(em: EntityManager, incident: IncidentEntity, d: SeverityDecision, known?: CustomerTermsView | null): Promise<IsolationEntity[]> {
    if (d.severity !== 'HIGH' || incident.kind !== 'SECURITY' || isFinished(incident.status)) return [];
    const terms = known !== undefined ? known : await this.terms.forCustomer(incident.customerId, em);
    if (!terms || terms.status === 'terminated' || terms.plan !== 'MDR' || !terms.isolationPreApproved) return [];
    if (d.automatic && !terms.isolationOnAutomaticVerdicts) {
      await this.note(em, incident.id, 'automatic HIGH verdict: isolation is pre-approved, but only once an analyst confirms the severity');
      return [];
    }
    const hints = await this.repo.hints(em, incident.id);
    const matches = await this.repo.matchEndpoints(em, incident.customerId, hints);
    if (matches.length !== 1) {
      const named = hints.map((h) => h.hostName ?? h.ip ?? h.agentId).filter(Boolean).join(', ') || 'no endpoint';
      const why = matches.length ? `${matches.length} managed endpoints match (${matches.map((m) => m.hostName).join(', ')})` : 'no managed endpoint matches';
      await this.note(em, incident.id, `HIGH with prior agreement, but ${why} for ${named}: an analyst picks the endpoint (requestIsolation)`);
      return [];
    }
    const requestedBy = d.automatic ? AUTO_ISOLATION_ACTOR : d.actor;
    const why = d.automatic ? 'automatic HIGH verdict, isolation pre-approved for automatic verdicts' : 'HIGH confirmed, isolation pre-approved by contract';
    const made = await this.request(em, incident, matches[0], requestedBy, 'contract (prior agreement)', why);
    return made ? [made] : [];
  }

  async requestIsolation(principal: Principal, incidentId: string, endpointId: string): Promise<IsolationEntity> {
    authorize(principal, IsolationsPermissions.requestIsolation);
    return this.ds.transaction(async (em) => {
      const { incident, endpoint } = await this.target(em, principal, incidentId, endpointId);
      return (await this.request(em, incident, endpoint, principal.subject, null, 'requested by an analyst')) ?? (await this.repo.active(em, incident.id, endpoint.endpointId))!;
    });
  }

  async approveIsolation(principal: Principal, incidentId: string, endpointId: string): Promise<IsolationEntity> {
    authorize(principal, IsolationsPermissions.approveIsolation);
    return this.ds.transaction(async (em) => {
      const { incident, endpoint } = await this.target(em, principal, incidentId, endpointId);
      return (await this.request(em, incident, endpoint, principal.subject, principal.subject, 'approved by the customer')) ?? (await this.repo.active(em, incident.id, endpoint.endpointId))!;
    });
  }

  // The customer says the host is clean; an analyst confirms the release.
  async requestRelease(principal: Principal, isolationId: string): Promise<IsolationEntity> {
    authorize(principal, IsolationsPermissions.requestRelease);
    return this.ds.transaction(async (em) => {
      const iso = await this.visibleIsolation(em, principal, isolationId);
      if (iso.status !== 'ISOLATED') throw new IsolationError('NOT_ISOLATED', `isolation ${iso.id} is ${iso.status}, not ISOLATED: there is nothing to release`, 'isolationId');
      if (iso.releaseAskedAt) return iso;
      iso.releaseAskedAt = this.clock.now();
      iso.releaseAskedBy = principal.subject;
      await this.repo.save(em, iso);
      await this.timeline.append(em, iso.incidentId, { kind: 'ISOLATION', actor: principal.subject, text: `release of ${iso.hostName} asked for by the customer; an analyst confirms it` });
      return iso;
    });
  }

  async confirmRelease(principal: Principal, isolationId: string): Promise<IsolationEntity> {
    authorize(principal, IsolationsPermissions.confirmRelease);
    return this.ds.transaction(async (em) => {
      const iso = await this.visibleIsolation(em, principal, isolationId);
      if (iso.status === 'RELEASE_REQUESTED') return iso;
      if (iso.status !== 'ISOLATED') throw new IsolationError('NOT_ISOLATED', `isolation ${iso.id} is ${iso.status}, not ISOLATED: there is nothing to release`, 'isolationId');
      iso.status = 'RELEASE_REQUESTED';
      iso.releaseConfirmedBy = principal.subject;
      await this.repo.save(em, iso);
      await this.outbox.add(em, IsolationReleaseRequested, { isolationId: iso.id, incidentId: iso.incidentId, endpointId: iso.endpointId, reason: iso.releaseAskedBy ? 'the customer reported the host clean' : 'released by an analyst', requestedBy: principal.subject }, { customerId: iso.customerId });
      await this.timeline.append(em, iso.incidentId, { kind: 'ISOLATION', actor: principal.subject, text: `release of ${iso.hostName} confirmed; endpoint-response asked to release it` });
      return iso;
    });
  }

  // endpoint-response's answer, in the consumer's transaction. ISOLATED contains the incident;
  // FAILED goes to the operator's phone escalation.
  async onOutcome(em: EntityManager, kind: IsolationOutcomeKind, b: IsolationOutcomeBody): Promise<void> {
    const iso = await this.repo.lock(em, b.isolationId);
    if (!iso) return;
    const at = b.at ? new Date(b.at) : this.clock.now();
    const host = b.hostName ?? iso.hostName;
    const via = b.vendor ? ` via ${b.vendor}` : '';
    if (kind === 'ISOLATED') {
      if (iso.status === 'ISOLATED') return;
      await this.repo.setStatus(em, iso, 'ISOLATED', at);
      await this.timeline.append(em, iso.incidentId, { kind: 'ISOLATION', actor: 'system:endpoint-response', text: `${host} isolated${via}`, at });
      await this.contain(em, iso.incidentId, host, at);
    } else if (kind === 'FAILED') {
      if (iso.status === 'FAILED') return;
      const releasing = iso.status === 'RELEASE_REQUESTED';
      const error = b.error ?? 'no reason given';
      await this.repo.setStatus(em, iso, 'FAILED', at, error);
      await this.timeline.append(em, iso.incidentId, { kind: 'ISOLATION', actor: 'system:endpoint-response', text: `${releasing ? 'release' : 'isolation'} of ${host} failed${via}: ${error}; escalated to the operator by phone`, at });
      const incident = await this.incidents.lock(em, iso.incidentId);
      await this.notifications.escalateIsolationFailure(em, { incidentId: iso.incidentId, customerId: iso.customerId, severity: incident?.severity ?? 'HIGH', isolationId: iso.id, hostName: host, error });
    } else {
      if (iso.status === 'RELEASED') return;
      await this.repo.setStatus(em, iso, 'RELEASED', at);
      await this.timeline.append(em, iso.incidentId, { kind: 'ISOLATION', actor: 'system:endpoint-response', text: `${host} released back onto the network${via}`, at });
    }
  }

  async forIncidents(principal: Principal, incidentIds: readonly string[]): Promise<Map<string, IsolationEntity[]>> {
    authorize(principal, IsolationsPermissions.readIsolations);
    const out = new Map<string, IsolationEntity[]>(incidentIds.map((id) => [id, []]));
    for (const i of await this.repo.forIncidents(scopeOf(principal), incidentIds)) out.get(i.incidentId)?.push(i);
    return out;
  }

  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, IsolationEntity>> {
    authorize(principal, IsolationsPermissions.readIsolations);
    return new Map((await this.repo.visibleByIds(scopeOf(principal), ids)).map((i) => [i.id, i]));
  }

  async incidentsByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, IncidentEntity>> {
    authorize(principal, IsolationsPermissions.readIsolations);
    return new Map((await this.incidents.visibleByIds(scopeOf(principal), ids)).map((i) => [i.id, i]));
  }

  // Asks endpoint-response to isolate; null when an active isolation of the endpoint exists.
  private async request(em: EntityManager, incident: IncidentEntity, endpoint: EndpointView, requestedBy: string, approvedBy: string | null, why: string): Promise<IsolationEntity | null> {
    const now = this.clock.now();
    const iso = await this.repo.insert(em, { incidentId: incident.id, customerId: incident.customerId, endpointId: endpoint.endpointId, hostName: endpoint.hostName, requestedAt: now, requestedBy, approvedBy, reason: why });
    if (!iso) return null;
    await this.outbox.add(em, IsolationRequested, { isolationId: iso.id, incidentId: incident.id, endpointId: endpoint.endpointId, reason: `${incident.title}: ${why}`, requestedBy }, { customerId: incident.customerId });
    await this.timeline.append(em, incident.id, { kind: 'ISOLATION', actor: requestedBy, text: `isolation of ${endpoint.hostName} requested (${why})`, at: now });
    return iso;
  }

  private async target(em: EntityManager, principal: Principal, incidentId: string, endpointId: string): Promise<{ incident: IncidentEntity; endpoint: EndpointView }> {
    const incident = await this.incidents.visible(em, scopeOf(principal), incidentId);
    if (!incident) throw new IsolationError('INCIDENT_NOT_FOUND', `incident ${incidentId} not found`, 'incidentId');
    if (isFinished(incident.status)) throw new IsolationError('INCIDENT_FINISHED', `incident ${incidentId} is ${incident.status}; reopen it first`, 'incidentId');
    const endpoint = await this.repo.endpoint(em, endpointId);
    if (!endpoint || endpoint.retired || endpoint.customerId !== incident.customerId) throw new IsolationError('ENDPOINT_NOT_FOUND', `endpoint ${endpointId} is not a managed endpoint of the incident's customer`, 'endpointId');
    return { incident, endpoint };
  }

  private async visibleIsolation(em: EntityManager, principal: Principal, id: string): Promise<IsolationEntity> {
    const iso = await this.repo.lockVisible(em, scopeOf(principal), id);
    if (!iso) throw new IsolationError('ISOLATION_NOT_FOUND', `isolation ${id} not found`, 'isolationId');
    return iso;
  }

  // An open incident not yet contained moves to CONTAINED (the workflow's own steps before it are
  // the SOC's; containment by the EDR stands for them, as a delivered mail stands for NOTIFIED).
  private async contain(em: EntityManager, incidentId: string, host: string, at: Date): Promise<void> {
    const i = await this.incidents.lock(em, incidentId);
    if (!i || isFinished(i.status) || i.status === 'CONTAINED') return;
    const from = i.status;
    await this.writer.setStatus(em, i, 'CONTAINED', ACTOR, at, `${host} isolated`);
    await this.writer.save(em, i);
    await this.lifecycle.statusChanged(em, i, { from, to: 'CONTAINED', actor: ACTOR });
  }

  private note(em: EntityManager, incidentId: string, text: string): Promise<void> {
    return this.timeline.append(em, incidentId, { kind: 'ISOLATION', actor: ACTOR, text });
  }
}
