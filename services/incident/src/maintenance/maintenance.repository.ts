import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MaintenanceReasonValue, WorkOrderKindValue, WorkOrderOutcomeValue } from '@kanshi/events';

export interface MaintenanceWindow {
  id: string;
  customerId: string;
  sensorId: string | null;
  reason: MaintenanceReasonValue;
  startsAt: Date;
  endsAt: Date;
  note: string;
  workOrderId: string | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  suppressedCount: number;
  lastSuppressedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  // for GraphQL
  customer: { id: string };
  sensor: { id: string } | null;
}

export interface WorkOrder {
  id: string;
  customerId: string;
  sensorId: string;
  kind: WorkOrderKindValue;
  plannedStart: Date;
  plannedEnd: Date;
  engineer: string;
  fromVersion: string | null;
  toVersion: string | null;
  oldSerial: string | null;
  newSerial: string | null;
  note: string;
  windowId: string | null;
  outcome: WorkOrderOutcomeValue | null;
  outcomeNotes: string | null;
  completedAt: Date | null;
  outcomeBy: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  customer: { id: string };
  sensor: { id: string };
}

// Which rows a list may return: a tenant condition (TenantDirectory.condition) and filters.
export interface MaintenanceFilter {
  scope: [string, unknown[]];
  customerId?: string;
  sensorId?: string;
  from?: Date;
  to?: Date;
  includeCancelled?: boolean;
}

const LIST_LIMIT = 500;

// What an UPDATE ... RETURNING answers through TypeORM's postgres driver: [rows, affected].
function updated<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

@Injectable()
export class MaintenanceRepository {
  async insertWindow(em: EntityManager, w: Pick<MaintenanceWindow, 'customerId' | 'sensorId' | 'reason' | 'startsAt' | 'endsAt' | 'note' | 'workOrderId' | 'createdBy'>, now: Date): Promise<MaintenanceWindow> {
    const rows: RawWindow[] = await em.query(
      `INSERT INTO incident.maintenance_window (customer_id, sensor_id, reason, starts_at, ends_at, note, work_order_id, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
      [w.customerId, w.sensorId, w.reason, w.startsAt, w.endsAt, w.note, w.workOrderId, w.createdBy, now],
    );
    return toWindow(rows[0]);
  }

  async lockWindow(em: EntityManager, id: string): Promise<MaintenanceWindow | null> {
    const rows: RawWindow[] = await em.query(`SELECT * FROM incident.maintenance_window WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toWindow(rows[0]) : null;
  }

  async saveWindow(em: EntityManager, w: MaintenanceWindow, now: Date): Promise<MaintenanceWindow> {
    const rows = updated<RawWindow>(await em.query(
      `UPDATE incident.maintenance_window SET reason = $2, starts_at = $3, ends_at = $4, note = $5, work_order_id = $6, cancelled_at = $7, cancelled_by = $8, updated_at = $9,
         ended_checked_at = CASE WHEN ends_at = $4 THEN ended_checked_at END
       WHERE id = $1 RETURNING *`,
      [w.id, w.reason, w.startsAt, w.endsAt, w.note, w.workOrderId, w.cancelledAt, w.cancelledBy, now],
    ));
    return toWindow(rows[0]);
  }

  async window(em: EntityManager, id: string, scope: [string, unknown[]]): Promise<MaintenanceWindow | null> {
    const [cond, params] = scope;
    const rows: RawWindow[] = await em.query(`SELECT * FROM incident.maintenance_window w WHERE w.id = $1 AND ${cond}`, [id, ...params]);
    return rows[0] ? toWindow(rows[0]) : null;
  }

  async windows(em: EntityManager, f: MaintenanceFilter): Promise<MaintenanceWindow[]> {
    const [cond, scopeParams] = f.scope;
    const params: unknown[] = [...scopeParams];
    const where = [cond];
    const add = (sql: (p: string) => string, v: unknown) => {
      params.push(v);
      where.push(sql(`$${params.length}`));
    };
    if (f.customerId) add((p) => `w.customer_id = ${p}`, f.customerId);
    if (f.sensorId) add((p) => `(w.sensor_id = ${p} OR (w.sensor_id IS NULL AND w.customer_id = (SELECT customer_id FROM incident.sensor WHERE sensor_id = ${p})))`, f.sensorId);
    if (f.from) add((p) => `w.ends_at > ${p}`, f.from);
    if (f.to) add((p) => `w.starts_at < ${p}`, f.to);
    if (!f.includeCancelled) where.push('w.cancelled_at IS NULL');
    const rows: RawWindow[] = await em.query(`SELECT * FROM incident.maintenance_window w WHERE ${where.join(' AND ')} ORDER BY w.starts_at, w.id LIMIT ${LIST_LIMIT}`, params);
    return rows.map(toWindow);
  }

  // The live window covering the sensor at `at` (one of its own before one of the customer's),
  // counted as having suppressed an availability incident; null when none covers it.
  async suppressWithin(em: EntityManager, customerId: string, sensorId: string, at: Date): Promise<MaintenanceWindow | null> {
    const rows = updated<RawWindow>(await em.query(
      `UPDATE incident.maintenance_window SET suppressed_count = suppressed_count + 1, last_suppressed_at = $3
       WHERE id = (SELECT id FROM incident.maintenance_window
                   WHERE customer_id = $1 AND (sensor_id = $2 OR sensor_id IS NULL) AND cancelled_at IS NULL AND starts_at <= $3 AND ends_at > $3
                   ORDER BY sensor_id NULLS LAST, ends_at DESC, id LIMIT 1)
       RETURNING *`,
      [customerId, sensorId, at],
    ));
    return rows[0] ? toWindow(rows[0]) : null;
  }

  // Windows that suppressed something and have ended (or were cancelled) since, not yet checked for
  // sensors still DOWN; locked, so overlapping checks take different ones.
  async endedUnchecked(em: EntityManager, now: Date, limit: number): Promise<MaintenanceWindow[]> {
    const rows: RawWindow[] = await em.query(
      `SELECT * FROM incident.maintenance_window WHERE suppressed_count > 0 AND ended_checked_at IS NULL AND (ends_at <= $1 OR cancelled_at IS NOT NULL)
       ORDER BY ends_at, id LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED`,
      [now],
    );
    return rows.map(toWindow);
  }

  async markEndChecked(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(`UPDATE incident.maintenance_window SET ended_checked_at = $2 WHERE id = $1`, [id, at]);
  }

  async insertWorkOrder(
    em: EntityManager,
    o: Pick<WorkOrder, 'customerId' | 'sensorId' | 'kind' | 'plannedStart' | 'plannedEnd' | 'engineer' | 'fromVersion' | 'toVersion' | 'oldSerial' | 'newSerial' | 'note' | 'createdBy'>,
    now: Date,
  ): Promise<WorkOrder> {
    const rows: RawOrder[] = await em.query(
      `INSERT INTO incident.work_order (customer_id, sensor_id, kind, planned_start, planned_end, engineer, from_version, to_version, old_serial, new_serial, note, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING *`,
      [o.customerId, o.sensorId, o.kind, o.plannedStart, o.plannedEnd, o.engineer, o.fromVersion, o.toVersion, o.oldSerial, o.newSerial, o.note, o.createdBy, now],
    );
    return toOrder(rows[0]);
  }

  async lockWorkOrder(em: EntityManager, id: string): Promise<WorkOrder | null> {
    const rows: RawOrder[] = await em.query(`SELECT * FROM incident.work_order WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toOrder(rows[0]) : null;
  }

  async saveWorkOrder(em: EntityManager, o: WorkOrder, now: Date): Promise<WorkOrder> {
    const rows = updated<RawOrder>(await em.query(
      `UPDATE incident.work_order SET to_version = $2, new_serial = $3, window_id = $4, outcome = $5, outcome_notes = $6, completed_at = $7, outcome_by = $8, updated_at = $9
       WHERE id = $1 RETURNING *`,
      [o.id, o.toVersion, o.newSerial, o.windowId, o.outcome, o.outcomeNotes, o.completedAt, o.outcomeBy, now],
    ));
    return toOrder(rows[0]);
  }

  async workOrders(em: EntityManager, f: MaintenanceFilter): Promise<WorkOrder[]> {
    const [cond, scopeParams] = f.scope;
    const params: unknown[] = [...scopeParams];
    const where = [cond];
    const add = (sql: (p: string) => string, v: unknown) => {
      params.push(v);
      where.push(sql(`$${params.length}`));
    };
    if (f.customerId) add((p) => `w.customer_id = ${p}`, f.customerId);
    if (f.sensorId) add((p) => `w.sensor_id = ${p}`, f.sensorId);
    if (f.from) add((p) => `w.planned_end > ${p}`, f.from);
    if (f.to) add((p) => `w.planned_start < ${p}`, f.to);
    const rows: RawOrder[] = await em.query(`SELECT * FROM incident.work_order w WHERE ${where.join(' AND ')} ORDER BY w.planned_start, w.id LIMIT ${LIST_LIMIT}`, params);
    return rows.map(toOrder);
  }
}

interface RawWindow {
  id: string;
  customer_id: string;
  sensor_id: string | null;
  reason: MaintenanceReasonValue;
  starts_at: Date;
  ends_at: Date;
  note: string;
  work_order_id: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  suppressed_count: number;
  last_suppressed_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toWindow = (r: RawWindow): MaintenanceWindow => ({
  id: r.id,
  customerId: r.customer_id,
  sensorId: r.sensor_id,
  reason: r.reason,
  startsAt: new Date(r.starts_at),
  endsAt: new Date(r.ends_at),
  note: r.note,
  workOrderId: r.work_order_id,
  cancelledAt: r.cancelled_at ? new Date(r.cancelled_at) : null,
  cancelledBy: r.cancelled_by,
  suppressedCount: r.suppressed_count,
  lastSuppressedAt: r.last_suppressed_at ? new Date(r.last_suppressed_at) : null,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  customer: { id: r.customer_id },
  sensor: r.sensor_id ? { id: r.sensor_id } : null,
});

interface RawOrder {
  id: string;
  customer_id: string;
  sensor_id: string;
  kind: WorkOrderKindValue;
  planned_start: Date;
  planned_end: Date;
  engineer: string;
  from_version: string | null;
  to_version: string | null;
  old_serial: string | null;
  new_serial: string | null;
  note: string;
  window_id: string | null;
  outcome: WorkOrderOutcomeValue | null;
  outcome_notes: string | null;
  completed_at: Date | null;
  outcome_by: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toOrder = (r: RawOrder): WorkOrder => ({
  id: r.id,
  customerId: r.customer_id,
  sensorId: r.sensor_id,
  kind: r.kind,
  plannedStart: new Date(r.planned_start),
  plannedEnd: new Date(r.planned_end),
  engineer: r.engineer,
  fromVersion: r.from_version,
  toVersion: r.to_version,
  oldSerial: r.old_serial,
  newSerial: r.new_serial,
  note: r.note,
  windowId: r.window_id,
  outcome: r.outcome,
  outcomeNotes: r.outcome_notes,
  completedAt: r.completed_at ? new Date(r.completed_at) : null,
  outcomeBy: r.outcome_by,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  customer: { id: r.customer_id },
  sensor: { id: r.sensor_id },
});
