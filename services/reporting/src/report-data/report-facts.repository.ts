import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SOC_SEVERITIES, SocSeverity } from '@kanshi/events';
import {
  ContactFact,
  Counted,
  CustomerProfile,
  IncidentFact,
  IsolationOutcomeFact,
  LivenessChangeFact,
  MaintenanceWindowFact,
  SensorFact,
  VerdictFact,
  VerdictStatistics,
  WorkOrderFact,
} from './report-facts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOP = 10;

// Reads of reporting's read models for the reports. Callers check tenancy before they read.
@Injectable()
export class ReportFactsRepository {
  constructor(private readonly ds: DataSource) {}

  async incident(incidentId: string): Promise<IncidentFact | null> {
    if (!UUID.test(incidentId)) return null;
    const [row] = await this.ds.query(`SELECT incident_id, customer_id, snapshot FROM reporting.incident_snapshot WHERE incident_id = $1`, [incidentId]);
    return row ? { incidentId: row.incident_id, customerId: row.customer_id, snapshot: row.snapshot } : null;
  }

  // The verdicts an incident names, and those of its alert group, oldest first.
  async verdictsOfIncident(customerId: string, verdictIds: string[], groupId: string | null): Promise<VerdictFact[]> {
    const rows = await this.ds.query(
      `SELECT v.*, s.name AS sensor_name FROM reporting.verdict_fact v LEFT JOIN reporting.sensor s ON s.sensor_id = v.sensor_id
       WHERE v.customer_id = $1 AND (v.verdict_id = ANY($2::uuid[]) OR ($3::uuid IS NOT NULL AND v.group_id = $3::uuid))
       ORDER BY v.decided_at, v.verdict_id LIMIT 1000`,
      [customerId, verdictIds.filter((id) => UUID.test(id)), groupId],
    );
    return rows.map(verdictOf);
  }

  async isolationsOfIncident(incidentId: string): Promise<IsolationOutcomeFact[]> {
    const rows = await this.ds.query(`SELECT * FROM reporting.isolation_outcome WHERE incident_id = $1 ORDER BY at, event_id`, [incidentId]);
    return rows.map(isolationOf);
  }

  async isolationsBetween(customerId: string, from: Date, to: Date): Promise<IsolationOutcomeFact[]> {
    const rows = await this.ds.query(`SELECT * FROM reporting.isolation_outcome WHERE customer_id = $1 AND at >= $2 AND at < $3 ORDER BY at, event_id`, [customerId, from, to]);
    return rows.map(isolationOf);
  }

  async profile(customerId: string): Promise<CustomerProfile | null> {
    const [customer] = await this.ds.query(`SELECT name FROM reporting.tenant_customer WHERE customer_id = $1`, [customerId]);
    if (!customer) return null;
    const contracts: { plan: string; status: string; start_date: string; contacts: ContactFact[] }[] = await this.ds.query(
      `SELECT plan, status, to_char(start_date, 'YYYY-MM-DD') AS start_date, contacts FROM reporting.customer_contract
       WHERE customer_id = $1 ORDER BY (status <> 'terminated') DESC, event_at DESC`,
      [customerId],
    );
    const live = contracts.filter((c) => c.status !== 'terminated');
    const starts = contracts.map((c) => c.start_date).sort();
    return { customerId, name: customer.name, plans: [...new Set(live.map((c) => c.plan))], startDate: starts[0] ?? null, contacts: contracts[0]?.contacts ?? [] };
  }

  // Customers with a contract in force on one of `plans`.
  async customersOnPlans(plans: readonly string[]): Promise<string[]> {
    const rows: { customer_id: string }[] = await this.ds.query(
      `SELECT DISTINCT customer_id FROM reporting.customer_contract WHERE plan = ANY($1::text[]) AND status IN ('active', 'pending_onboarding') ORDER BY customer_id`,
      [plans],
    );
    return rows.map((r) => r.customer_id);
  }

  // Statistics of the verdicts decided on the Tokyo days [fromDay, toDay).
  async verdictStatistics(customerId: string, fromDay: string, toDay: string): Promise<VerdictStatistics> {
    const params = [customerId, fromDay, toDay];
    const where = `v.customer_id = $1 AND v.day >= $2::date AND v.day < $3::date`;
    const [daily, sensors, products, categories, signatures, lowSignatures, lowSensors, blocked] = await Promise.all([
      this.ds.query(`SELECT to_char(v.day, 'YYYY-MM-DD') AS day, v.severity, count(*)::int AS n FROM reporting.verdict_fact v WHERE ${where} GROUP BY v.day, v.severity ORDER BY v.day`, params),
      this.ds.query(
        `SELECT v.sensor_id::text AS key, max(s.name) AS label, count(*)::int AS count FROM reporting.verdict_fact v LEFT JOIN reporting.sensor s ON s.sensor_id = v.sensor_id
         WHERE ${where} GROUP BY v.sensor_id ORDER BY count DESC, key`,
        params,
      ),
      this.ds.query(`SELECT v.product AS key, count(*)::int AS count FROM reporting.verdict_fact v WHERE ${where} GROUP BY v.product ORDER BY count DESC, key`, params),
      this.ds.query(
        `SELECT c AS key, count(*)::int AS count FROM reporting.verdict_fact v, unnest(CASE WHEN cardinality(v.category) = 0 THEN ARRAY['(none)'] ELSE v.category END) c
         WHERE ${where} GROUP BY c ORDER BY count DESC, key`,
        params,
      ),
      this.ds.query(
        `SELECT coalesce(v.signature, '(none)') AS key, count(*)::int AS count FROM reporting.verdict_fact v WHERE ${where} GROUP BY 1 ORDER BY count DESC, key LIMIT ${TOP}`,
        params,
      ),
      this.ds.query(
        `SELECT coalesce(v.signature, '(none)') AS key, count(*)::int AS count FROM reporting.verdict_fact v WHERE ${where} AND v.severity = 'LOW' GROUP BY 1 ORDER BY count DESC, key LIMIT ${TOP}`,
        params,
      ),
      this.ds.query(
        `SELECT v.sensor_id::text AS key, max(s.name) AS label, count(*)::int AS count FROM reporting.verdict_fact v LEFT JOIN reporting.sensor s ON s.sensor_id = v.sensor_id
         WHERE ${where} AND v.severity = 'LOW' GROUP BY v.sensor_id ORDER BY count DESC, key`,
        params,
      ),
      this.ds.query(`SELECT count(*)::int AS n FROM reporting.verdict_fact v WHERE ${where} AND v.blocked`, params),
    ]);
    const bySeverity = Object.fromEntries(SOC_SEVERITIES.map((s) => [s, 0])) as Record<SocSeverity, number>;
    const days = new Map<string, { day: string; HIGH: number; MEDIUM: number; LOW: number }>();
    for (const r of daily as { day: string; severity: SocSeverity; n: number }[]) {
      bySeverity[r.severity] += r.n;
      const d = days.get(r.day) ?? { day: r.day, HIGH: 0, MEDIUM: 0, LOW: 0 };
      d[r.severity] += r.n;
      days.set(r.day, d);
    }
    return {
      total: SOC_SEVERITIES.reduce((n, s) => n + bySeverity[s], 0),
      bySeverity,
      byDay: [...days.values()],
      bySensor: sensors as Counted[],
      byProduct: products as Counted[],
      byCategory: categories as Counted[],
      topSignatures: signatures as Counted[],
      lowBySignature: lowSignatures as Counted[],
      lowBySensor: lowSensors as Counted[],
      blocked: blocked[0].n,
    };
  }

  // Incidents opened in [from, to), oldest first.
  async incidentsOpened(customerId: string, from: Date, to: Date): Promise<IncidentFact[]> {
    const rows = await this.ds.query(
      `SELECT incident_id, customer_id, snapshot FROM reporting.incident_snapshot WHERE customer_id = $1 AND opened_at >= $2 AND opened_at < $3 ORDER BY opened_at, incident_id`,
      [customerId, from, to],
    );
    return rows.map((r: { incident_id: string; customer_id: string; snapshot: IncidentFact['snapshot'] }) => ({ incidentId: r.incident_id, customerId: r.customer_id, snapshot: r.snapshot }));
  }

  async sensors(customerId: string): Promise<SensorFact[]> {
    const rows = await this.ds.query(
      `SELECT s.sensor_id, s.name, s.product, s.registered_at, v.version FROM reporting.sensor s LEFT JOIN reporting.sensor_version v ON v.sensor_id = s.sensor_id
       WHERE s.customer_id = $1 ORDER BY s.name, s.sensor_id`,
      [customerId],
    );
    return rows.map((r: { sensor_id: string; name: string; product: string; registered_at: Date; version: string | null }) => ({
      sensorId: r.sensor_id,
      name: r.name,
      product: r.product,
      registeredAt: r.registered_at,
      productVersion: r.version,
    }));
  }

  // Per sensor: its last change before `from` (the state the range starts in) and every change in [from, to).
  async livenessChanges(customerId: string, from: Date, to: Date): Promise<LivenessChangeFact[]> {
    const rows = await this.ds.query(
      `(SELECT DISTINCT ON (sensor_id) sensor_id, status, at FROM reporting.sensor_liveness_change WHERE customer_id = $1 AND at < $2 ORDER BY sensor_id, at DESC, event_id DESC)
       UNION ALL
       (SELECT sensor_id, status, at FROM reporting.sensor_liveness_change WHERE customer_id = $1 AND at >= $2 AND at < $3)
       ORDER BY at`,
      [customerId, from, to],
    );
    return rows.map((r: { sensor_id: string; status: 'UP' | 'DOWN'; at: Date }) => ({ sensorId: r.sensor_id, status: r.status, at: r.at }));
  }

  async maintenanceWindows(customerId: string, from: Date, to: Date): Promise<MaintenanceWindowFact[]> {
    const rows = await this.ds.query(
      `SELECT w.*, s.name AS sensor_name FROM reporting.maintenance_window w LEFT JOIN reporting.sensor s ON s.sensor_id = w.sensor_id
       WHERE w.customer_id = $1 AND NOT w.cancelled AND w.starts_at < $3 AND w.ends_at > $2 ORDER BY w.starts_at, w.window_id`,
      [customerId, from, to],
    );
    return rows.map((r: any) => ({ windowId: r.window_id, sensorId: r.sensor_id, sensorName: r.sensor_name, startsAt: r.starts_at, endsAt: r.ends_at, reason: r.reason, note: r.note }));
  }

  async workOrders(customerId: string, from: Date, to: Date): Promise<WorkOrderFact[]> {
    const rows = await this.ds.query(
      `SELECT o.*, s.name AS sensor_name FROM reporting.work_order o LEFT JOIN reporting.sensor s ON s.sensor_id = o.sensor_id
       WHERE o.customer_id = $1 AND o.planned_start < $3 AND o.planned_end > $2 ORDER BY o.planned_start, o.work_order_id`,
      [customerId, from, to],
    );
    return rows.map((r: any) => ({
      workOrderId: r.work_order_id,
      sensorId: r.sensor_id,
      sensorName: r.sensor_name,
      kind: r.kind,
      plannedStart: r.planned_start,
      plannedEnd: r.planned_end,
      engineer: r.engineer,
      outcome: r.outcome,
      completedAt: r.completed_at,
      fromVersion: r.from_version,
      toVersion: r.to_version,
      oldSerial: r.old_serial,
      newSerial: r.new_serial,
      notes: r.notes,
    }));
  }
}

function verdictOf(r: any): VerdictFact {
  return {
    verdictId: r.verdict_id,
    customerId: r.customer_id,
    decidedAt: r.decided_at,
    severity: r.severity,
    sensorId: r.sensor_id,
    sensorName: r.sensor_name ?? null,
    product: r.product,
    category: r.category,
    signature: r.signature,
    blocked: r.blocked,
    alertIds: r.alert_ids,
    reasons: r.reasons,
    actions: r.actions,
    endpoints: r.endpoints,
  };
}

function isolationOf(r: any): IsolationOutcomeFact {
  return { isolationId: r.isolation_id, incidentId: r.incident_id, endpointId: r.endpoint_id, outcome: r.outcome, at: r.at, vendor: r.vendor, hostName: r.host_name, error: r.error };
}
