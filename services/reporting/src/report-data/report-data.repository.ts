import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  ContractEntitlementsBody,
  IncidentUpdatedBody,
  IsolationOutcomeBody,
  MaintenanceWindowChangedBody,
  SensorLivenessChangedBody,
  SensorRegisteredBody,
  VerdictIssuedV2Body,
  SensorVersionChangedBody,
  WorkOrderRecordedBody,
} from '@kanshi/events';
import { toTokyoDate } from '@kanshi/calendar';

export type IsolationOutcomeKind = 'ISOLATED' | 'FAILED' | 'RELEASED';

// Writes of the read models, always inside the consuming handler's transaction (`em`), so a
// redelivered event (stopped by the inbox) has no second effect. Facts that can arrive late or
// twice never let an older one overwrite a newer one (by version, else by the event's time).
@Injectable()
export class ReportDataRepository {
  async upsertVerdicts(em: EntityManager, events: { customerId: string; occurredAt: string; body: VerdictIssuedV2Body }[]): Promise<void> {
    if (!events.length) return;
    // One statement per batch; within a batch the newest event of a verdict wins.
    const latest = new Map<string, (typeof events)[number]>();
    for (const e of events) {
      const prev = latest.get(e.body.verdictId);
      if (!prev || prev.occurredAt <= e.occurredAt) latest.set(e.body.verdictId, e);
    }
    const rows = [...latest.values()].map(({ customerId, occurredAt, body: b }) => ({
      verdict_id: b.verdictId,
      customer_id: customerId,
      day: toTokyoDate(new Date(b.decidedAt), 'decidedAt'),
      decided_at: b.decidedAt,
      severity: b.severity,
      sensor_id: b.sensorId,
      product: b.product,
      category: b.category,
      signature: b.signature ?? null,
      blocked: b.blocked ?? null,
      group_id: b.groupId ?? null,
      alert_ids: b.alertIds,
      reasons: b.reasons,
      actions: b.recommendedActions,
      endpoints: b.endpoints,
      overridden: b.overridden,
      event_at: occurredAt,
    }));
    await em.query(
      `INSERT INTO reporting.verdict_fact (verdict_id, customer_id, day, decided_at, severity, sensor_id, product, category, signature, blocked, group_id,
         alert_ids, reasons, actions, endpoints, overridden, event_at)
       SELECT r.verdict_id, r.customer_id, r.day, r.decided_at, r.severity, r.sensor_id, r.product, ARRAY(SELECT jsonb_array_elements_text(r.category)),
              r.signature, r.blocked, r.group_id, ARRAY(SELECT jsonb_array_elements_text(r.alert_ids))::uuid[], r.reasons, r.actions, r.endpoints, r.overridden, r.event_at
       FROM jsonb_to_recordset($1::jsonb) AS r(verdict_id uuid, customer_id uuid, day date, decided_at timestamptz, severity text, sensor_id uuid, product text,
            category jsonb, signature text, blocked boolean, group_id uuid, alert_ids jsonb, reasons jsonb, actions jsonb, endpoints jsonb, overridden boolean, event_at timestamptz)
       ON CONFLICT (verdict_id) DO UPDATE SET
         day = EXCLUDED.day, decided_at = EXCLUDED.decided_at, severity = EXCLUDED.severity, sensor_id = EXCLUDED.sensor_id, product = EXCLUDED.product,
         category = EXCLUDED.category, signature = EXCLUDED.signature, blocked = EXCLUDED.blocked, group_id = EXCLUDED.group_id, alert_ids = EXCLUDED.alert_ids,
         reasons = EXCLUDED.reasons, actions = EXCLUDED.actions, endpoints = EXCLUDED.endpoints, overridden = EXCLUDED.overridden, event_at = EXCLUDED.event_at
       WHERE reporting.verdict_fact.event_at <= EXCLUDED.event_at`,
      [JSON.stringify(rows)],
    );
  }

  async upsertIncident(em: EntityManager, customerId: string, b: IncidentUpdatedBody): Promise<void> {
    await em.query(
      `INSERT INTO reporting.incident_snapshot (incident_id, customer_id, version, kind, severity, status, title, opened_at, resolved_at, sensor_id, snapshot)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (incident_id) DO UPDATE SET
         version = EXCLUDED.version, kind = EXCLUDED.kind, severity = EXCLUDED.severity, status = EXCLUDED.status, title = EXCLUDED.title,
         opened_at = EXCLUDED.opened_at, resolved_at = EXCLUDED.resolved_at, sensor_id = EXCLUDED.sensor_id, snapshot = EXCLUDED.snapshot
       WHERE reporting.incident_snapshot.version < EXCLUDED.version`,
      [b.incidentId, customerId, b.version, b.kind, b.severity, b.status, b.title, b.openedAt, b.resolvedAt ?? null, b.sensorId ?? null, JSON.stringify(b)],
    );
  }

  async addIsolationOutcome(em: EntityManager, e: { eventId: string; customerId: string; occurredAt: string }, outcome: IsolationOutcomeKind, b: IsolationOutcomeBody): Promise<void> {
    await em.query(
      `INSERT INTO reporting.isolation_outcome (event_id, isolation_id, incident_id, customer_id, endpoint_id, outcome, at, vendor, host_name, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING`,
      [e.eventId, b.isolationId, b.incidentId, e.customerId, b.endpointId, outcome, b.at ?? e.occurredAt, b.vendor ?? null, b.hostName ?? null, b.error ?? null],
    );
  }

  async upsertSensor(em: EntityManager, customerId: string, occurredAt: string, b: SensorRegisteredBody): Promise<void> {
    await em.query(
      `INSERT INTO reporting.sensor (sensor_id, customer_id, product, name, registered_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sensor_id) DO UPDATE SET product = EXCLUDED.product, name = EXCLUDED.name, registered_at = LEAST(reporting.sensor.registered_at, EXCLUDED.registered_at)`,
      [b.sensorId, customerId, b.product, b.name, occurredAt],
    );
  }

  // The change is dated when ingestion noticed it (the event's time): a DOWN is noticed once the
  // sensor has been silent past its threshold, an UP when it is heard from again.
  async addLivenessChange(em: EntityManager, e: { eventId: string; customerId: string; occurredAt: string }, b: SensorLivenessChangedBody): Promise<void> {
    await em.query(
      `INSERT INTO reporting.sensor_liveness_change (event_id, sensor_id, customer_id, status, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING`,
      [e.eventId, b.sensorId, e.customerId, b.status, e.occurredAt],
    );
  }

  async upsertMaintenanceWindow(em: EntityManager, customerId: string, occurredAt: string, b: MaintenanceWindowChangedBody): Promise<void> {
    await em.query(
      `INSERT INTO reporting.maintenance_window (window_id, customer_id, sensor_id, starts_at, ends_at, reason, cancelled, event_at, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (window_id) DO UPDATE SET sensor_id = EXCLUDED.sensor_id, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
         reason = EXCLUDED.reason, cancelled = EXCLUDED.cancelled, event_at = EXCLUDED.event_at, note = EXCLUDED.note
       WHERE reporting.maintenance_window.event_at <= EXCLUDED.event_at`,
      [b.windowId, customerId, b.sensorId ?? null, b.startsAt, b.endsAt, b.reason, b.cancelled, occurredAt, b.note ?? null],
    );
  }

  async upsertWorkOrder(em: EntityManager, customerId: string, occurredAt: string, b: WorkOrderRecordedBody): Promise<void> {
    await em.query(
      `INSERT INTO reporting.work_order (work_order_id, customer_id, sensor_id, kind, planned_start, planned_end, engineer, outcome, completed_at, event_at, from_version, to_version, old_serial, new_serial, notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (work_order_id) DO UPDATE SET sensor_id = EXCLUDED.sensor_id, kind = EXCLUDED.kind, planned_start = EXCLUDED.planned_start,
         planned_end = EXCLUDED.planned_end, engineer = EXCLUDED.engineer, outcome = EXCLUDED.outcome, completed_at = EXCLUDED.completed_at, event_at = EXCLUDED.event_at,
         from_version = EXCLUDED.from_version, to_version = EXCLUDED.to_version, old_serial = EXCLUDED.old_serial, new_serial = EXCLUDED.new_serial, notes = EXCLUDED.notes
       WHERE reporting.work_order.event_at <= EXCLUDED.event_at`,
      [
        b.workOrderId,
        customerId,
        b.sensorId,
        b.kind,
        b.plannedStart,
        b.plannedEnd,
        b.engineer,
        b.outcome ?? null,
        b.completedAt ?? null,
        occurredAt,
        b.fromVersion ?? null,
        b.toVersion ?? null,
        b.oldSerial ?? null,
        b.newSerial ?? null,
        b.notes ?? null,
      ],
    );
  }

  // The product version the sensor reports; a version seen earlier never replaces a later one.
  async upsertSensorVersion(em: EntityManager, customerId: string, b: SensorVersionChangedBody): Promise<void> {
    await em.query(
      `INSERT INTO reporting.sensor_version (sensor_id, customer_id, version, seen_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sensor_id) DO UPDATE SET version = EXCLUDED.version, seen_at = EXCLUDED.seen_at WHERE reporting.sensor_version.seen_at <= EXCLUDED.seen_at`,
      [b.sensorId, customerId, b.version, b.seenAt],
    );
  }

  async upsertContract(em: EntityManager, occurredAt: string, b: ContractEntitlementsBody): Promise<void> {
    const contacts = [...b.escalationContacts].sort((x, y) => x.order - y.order).map((c) => ({ order: c.order, name: c.name, email: c.email ?? null, language: c.language }));
    await em.query(
      `INSERT INTO reporting.customer_contract (contract_id, customer_id, plan, status, start_date, end_date, contacts, event_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (contract_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, plan = EXCLUDED.plan, status = EXCLUDED.status,
         start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, contacts = EXCLUDED.contacts, event_at = EXCLUDED.event_at
       WHERE reporting.customer_contract.event_at <= EXCLUDED.event_at`,
      [b.contractId, b.customerId, b.plan, b.status, toTokyoDate(dateOf(b.startDate), 'startDate'), b.endDate ? toTokyoDate(dateOf(b.endDate), 'endDate') : null, JSON.stringify(contacts), occurredAt],
    );
  }
}

// A contract date arrives as 'YYYY-MM-DD' or as an instant.
function dateOf(value: string): string | Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : new Date(value);
}
