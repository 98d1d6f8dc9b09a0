import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  ContractActivated,
  ContractChanged,
  ContractTerminated,
  EndpointIsolated,
  EndpointIsolationFailed,
  EndpointReleased,
  EventEnvelope,
  IncidentUpdated,
  MaintenanceWindowChanged,
  SensorLivenessChanged,
  SensorRegistered,
  SensorVersionChanged,
  VerdictIssuedV2,
  WorkOrderRecorded,
} from '@kanshi/events';
import { ConsumerHost, PermanentEventError } from '@kanshi/messaging';
import { ReportDataRepository } from './report-data.repository';

// Keeps reporting's read models from the other services' events: everything a report shows
// comes from here (docs/reporting.md lists each source).
@Injectable()
export class ReportDataConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly repo: ReportDataRepository,
  ) {}

  onModuleInit(): void {
    // Verdicts are the busiest source: one transaction per batch.
    this.host.registerBatch({
      durable: 'reporting-verdicts',
      event: VerdictIssuedV2,
      handleBatch: (events, { em }) => this.repo.upsertVerdicts(em, events.map((e) => ({ customerId: tenantOf(e), occurredAt: e.occurredAt, body: e.body }))),
    });
    this.host.register({ durable: 'reporting-incident-updated', event: IncidentUpdated, handle: (e, { em }) => this.repo.upsertIncident(em, tenantOf(e), e.body) });
    for (const [durable, event, outcome] of [
      ['reporting-isolation-isolated', EndpointIsolated, 'ISOLATED'],
      ['reporting-isolation-failed', EndpointIsolationFailed, 'FAILED'],
      ['reporting-isolation-released', EndpointReleased, 'RELEASED'],
    ] as const) {
      this.host.register({ durable, event, handle: (e, { em }) => this.repo.addIsolationOutcome(em, { eventId: e.eventId, customerId: tenantOf(e), occurredAt: e.occurredAt }, outcome, e.body) });
    }
    this.host.register({ durable: 'reporting-sensor-registered', event: SensorRegistered, handle: (e, { em }) => this.repo.upsertSensor(em, tenantOf(e), e.occurredAt, e.body) });
    this.host.register({
      durable: 'reporting-sensor-liveness',
      event: SensorLivenessChanged,
      handle: (e, { em }) => this.repo.addLivenessChange(em, { eventId: e.eventId, customerId: tenantOf(e), occurredAt: e.occurredAt }, e.body),
    });
    this.host.register({ durable: 'reporting-sensor-version', event: SensorVersionChanged, handle: (e, { em }) => this.repo.upsertSensorVersion(em, tenantOf(e), e.body) });
    this.host.register({ durable: 'reporting-maintenance-window', event: MaintenanceWindowChanged, handle: (e, { em }) => this.repo.upsertMaintenanceWindow(em, tenantOf(e), e.occurredAt, e.body) });
    this.host.register({ durable: 'reporting-work-order', event: WorkOrderRecorded, handle: (e, { em }) => this.repo.upsertWorkOrder(em, tenantOf(e), e.occurredAt, e.body) });
    for (const [durable, event] of [
      ['reporting-contract-activated', ContractActivated],
      ['reporting-contract-changed', ContractChanged],
      ['reporting-contract-terminated', ContractTerminated],
    ] as const) {
      this.host.register({ durable, event, handle: (e, { em }) => this.repo.upsertContract(em, e.occurredAt, e.body) });
    }
  }
}

// Every fact here belongs to a customer; one without a tenant can never be placed in a report.
function tenantOf(e: EventEnvelope<unknown>): string {
  if (!e.customerId) throw new PermanentEventError(`${e.subject} ${e.eventId} carries no customerId`);
  return e.customerId;
}
