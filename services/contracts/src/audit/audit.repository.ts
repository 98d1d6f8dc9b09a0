import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditedField, AuditedOperationType, CustomerDataPurgedBody, DataAccessRecordedBody, EventEnvelope } from '@kanshi/events';
import { decodeCursor } from '@kanshi/platform';

export interface AuditEntryRow {
  id: string;
  at: Date;
  actorId: string;
  actorRole: string;
  actorPartnerId: string | null;
  service: string;
  operationType: AuditedOperationType;
  operationName: string | null;
  fields: AuditedField[];
  fieldPaths: string[];
  customerIds: string[];
  clientIp: string | null;
}

export interface DataPurgeRow {
  purgeId: string;
  customerId: string;
  service: string;
  tables: { table: string; rows: number }[];
  totalRows: number;
  purgedAt: Date;
}

export interface PurgeDueContract {
  contractId: string;
  customerId: string;
  endedAt: Date;
  retentionMonths: number;
}

export interface AuditTrailQuery {
  // Set for a customer administrator: only entries naming this customer.
  onlyCustomerId?: string;
  customerId?: string;
  actorId?: string;
  service?: string;
  from?: Date;
  to?: Date;
}

const ENTRY_COLUMNS = `id, at, actor_id AS "actorId", actor_role AS "actorRole", actor_partner_id AS "actorPartnerId", service,
  operation_type AS "operationType", operation_name AS "operationName", fields, field_paths AS "fieldPaths",
  customer_ids::text[] AS "customerIds", client_ip AS "clientIp"`;

@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  // Entries of a batch of events; one already stored (a redelivery) is left as it is.
  async insertEntries(em: EntityManager, events: EventEnvelope<DataAccessRecordedBody>[]): Promise<void> {
    if (!events.length) return;
    const values: unknown[] = [];
    const rows = events.map((e) => {
      const b = e.body;
      const n = values.length;
      values.push(e.eventId, b.at, b.actorId, b.actorRole, b.actorPartnerId ?? null, b.service, b.operationType, b.operationName ?? null, JSON.stringify(b.fields), b.fieldPaths, b.customerIds, b.clientIp ?? null, e.correlationId ?? null);
      return `(${Array.from({ length: 13 }, (_, i) => `$${n + i + 1}`).join(', ')})`;
    });
    await em.query(
      `INSERT INTO contracts.audit_entry (id, at, actor_id, actor_role, actor_partner_id, service, operation_type, operation_name, fields, field_paths, customer_ids, client_ip, correlation_id)
       VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING`,
      values,
    );
  }

  // Newest first, keyset on (at, id).
  async page(q: AuditTrailQuery, limit: number, after?: string): Promise<AuditEntryRow[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      values.push(v);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (q.onlyCustomerId) add('customer_ids @> ARRAY[?]::uuid[]', q.onlyCustomerId);
    if (q.customerId) add('customer_ids @> ARRAY[?]::uuid[]', q.customerId);
    if (q.actorId) add('actor_id = ?', q.actorId);
    if (q.service) add('service = ?', q.service);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    if (after) {
      const c = decodeCursor(after);
      values.push(c.sortKey, c.id);
      where.push(`(at, id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
    }
    values.push(limit);
    return this.ds.query(`SELECT ${ENTRY_COLUMNS} FROM contracts.audit_entry ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT $${values.length}`, values);
  }

  // One service's report of a purge; a redelivered or repeated report is recorded once.
  async recordPurge(em: EntityManager, b: CustomerDataPurgedBody): Promise<void> {
    const total = b.tables.reduce((sum, t) => sum + t.rows, 0);
    await em.query(
      `INSERT INTO contracts.data_purge (purge_event_id, service, customer_id, tables, total_rows, purged_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (purge_event_id, service) DO NOTHING`,
      [b.purgeEventId, b.service, b.customerId, JSON.stringify(b.tables), total, b.purgedAt],
    );
  }

  async purges(customerId: string | undefined, limit: number, after?: string): Promise<DataPurgeRow[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (customerId) {
      values.push(customerId);
      where.push(`customer_id = $${values.length}`);
    }
    if (after) {
      const c = decodeCursor(after);
      const [purgeId, service] = c.id.split('/');
      values.push(c.sortKey, purgeId, service);
      where.push(`(purged_at, purge_event_id, service) < ($${values.length - 2}::timestamptz, $${values.length - 1}::uuid, $${values.length})`);
    }
    values.push(limit);
    const rows: (Omit<DataPurgeRow, 'totalRows'> & { totalRows: string })[] = await this.ds.query(
      `SELECT purge_event_id AS "purgeId", customer_id AS "customerId", service, tables, total_rows AS "totalRows", purged_at AS "purgedAt"
       FROM contracts.data_purge ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY purged_at DESC, purge_event_id DESC, service DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map((r) => ({ ...r, totalRows: Number(r.totalRows) }));
  }

  // Terminated contracts whose log retention has passed since they ended, not asked for yet, of
  // customers with no other contract still running or still within its retention.
  async contractsDueForPurge(now: Date): Promise<PurgeDueContract[]> {
    const ENDED = `coalesce((%.end_date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo', %.terminated_at)`;
    const ended = (a: string) => ENDED.replace(/%/g, a);
    return this.ds.query(
      `SELECT c.id AS "contractId", c.customer_id AS "customerId", ${ended('c')} AS "endedAt", c.log_retention_months AS "retentionMonths"
       FROM contracts.contract c
       WHERE c.status = 'TERMINATED' AND ${ended('c')} + make_interval(months => c.log_retention_months) <= $1
         AND NOT EXISTS (SELECT 1 FROM contracts.data_purge_request r WHERE r.contract_id = c.id)
         AND NOT EXISTS (SELECT 1 FROM contracts.contract o WHERE o.customer_id = c.customer_id AND o.id <> c.id
           AND (o.status <> 'TERMINATED' OR ${ended('o')} IS NULL OR ${ended('o')} + make_interval(months => o.log_retention_months) > $1))
       ORDER BY c.id`,
      [now],
    );
  }

  // The request row, once per contract: the event id, or null when it was asked for already.
  async requestPurge(em: EntityManager, c: PurgeDueContract): Promise<string | null> {
    const rows: { event_id: string }[] = await em.query(
      `INSERT INTO contracts.data_purge_request (contract_id, customer_id, event_id, contract_ended_at, retention_months) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (contract_id) DO NOTHING RETURNING event_id`,
      [c.contractId, c.customerId, randomUUID(), c.endedAt, c.retentionMonths],
    );
    return rows[0]?.event_id ?? null;
  }
}
