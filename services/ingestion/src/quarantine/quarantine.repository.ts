import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SensorProductCode } from '@kanshi/events';
import { decodeCursor } from '@kanshi/platform';
import type { QuarantineStatus } from './quarantine.object';

export interface QuarantineInsert {
  receivedAt: Date;
  // null: the bytes could not be attributed to any sensor (unknown source address)
  sensorId: string | null;
  customerId: string | null;
  product: string | null;
  transport: string;
  remoteAddress: string | null;
  reason: string;
  raw: Buffer;
}

export interface QuarantineRow {
  id: string;
  received_at: Date;
  sensor_id: string | null;
  customer_id: string | null;
  product: SensorProductCode | null;
  transport: string;
  remote_address: string | null;
  reason: string;
  raw: Buffer;
  status: QuarantineStatus;
  replay_attempts: number;
  last_replayed_at: Date | null;
  replayed_event_count: number | null;
}

export interface QuarantineFilter {
  customerId?: string;
  sensorId?: string;
  status?: QuarantineStatus;
  from?: Date;
  to?: Date;
  // sensors of unknown source addresses only
  unattributed?: boolean;
}

@Injectable()
export class QuarantineRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(em: EntityManager, rows: QuarantineInsert[]): Promise<void> {
    if (rows.length === 0) return;
    await em.query(
      `INSERT INTO ingestion.quarantine (received_at, sensor_id, customer_id, product, transport, remote_address, reason, raw)
       SELECT t.r, t.s, t.c, t.p, t.tr, t.a, t.reason, decode(t.raw, 'base64')
       FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(r, s, c, p, tr, a, reason, raw)`,
      [
        rows.map((r) => r.receivedAt.toISOString()),
        rows.map((r) => r.sensorId),
        rows.map((r) => r.customerId),
        rows.map((r) => r.product),
        rows.map((r) => r.transport),
        rows.map((r) => r.remoteAddress),
        rows.map((r) => r.reason),
        rows.map((r) => r.raw.toString('base64')),
      ],
    );
  }

  async insertNow(rows: QuarantineInsert[]): Promise<void> {
    await this.ds.transaction((em) => this.insert(em, rows));
  }

  // Newest first, keyset-paginated on (received_at, id).
  page(filter: QuarantineFilter, limit: number, after?: string): Promise<QuarantineRow[]> {
    const params: unknown[] = [];
    const where = ['TRUE'];
    if (filter.customerId) where.push(`customer_id = $${params.push(filter.customerId)}`);
    if (filter.sensorId) where.push(`sensor_id = $${params.push(filter.sensorId)}`);
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.from) where.push(`received_at >= $${params.push(filter.from)}`);
    if (filter.to) where.push(`received_at < $${params.push(filter.to)}`);
    if (filter.unattributed) where.push('sensor_id IS NULL');
    if (after) {
      const c = decodeCursor(after);
      where.push(`(received_at, id) < ($${params.push(c.sortKey)}::timestamptz, $${params.push(c.id)}::uuid)`);
    }
    return this.ds.query(`SELECT * FROM ingestion.quarantine WHERE ${where.join(' AND ')} ORDER BY received_at DESC, id DESC LIMIT $${params.push(limit)}`, params);
  }

  async findById(id: string): Promise<QuarantineRow | null> {
    const rows: QuarantineRow[] = await this.ds.query(`SELECT * FROM ingestion.quarantine WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  // Locked so two analysts replaying the same entry cannot both store its events.
  async findForUpdate(em: EntityManager, id: string): Promise<QuarantineRow | null> {
    const rows: QuarantineRow[] = await em.query(`SELECT * FROM ingestion.quarantine WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async markReplayed(em: EntityManager, id: string, events: number): Promise<QuarantineRow> {
    // TypeORM answers an UPDATE with [rows, count]
    const [rows]: [QuarantineRow[], number] = await em.query(
      `UPDATE ingestion.quarantine SET status = 'REPLAYED', replay_attempts = replay_attempts + 1, last_replayed_at = now(), replayed_event_count = $2
       WHERE id = $1 RETURNING *`,
      [id, events],
    );
    return rows[0];
  }

  async markStillRejected(em: EntityManager, id: string, reason: string): Promise<QuarantineRow> {
    const [rows]: [QuarantineRow[], number] = await em.query(
      `UPDATE ingestion.quarantine SET reason = $2, replay_attempts = replay_attempts + 1, last_replayed_at = now() WHERE id = $1 RETURNING *`,
      [id, reason],
    );
    return rows[0];
  }

  // Quarantined bytes are raw customer data too: kept as long as the customer's logs.
  async purgeExpired(now: Date, defaultMonths: number): Promise<number> {
    const [{ n }]: { n: number }[] = await this.ds.query(
      `WITH purged AS (
         DELETE FROM ingestion.quarantine q
         WHERE q.received_at < $1::timestamptz - make_interval(months => coalesce(
           (SELECT max(c.log_retention_months) FROM ingestion.customer_contract c WHERE c.customer_id = q.customer_id), $2))
         RETURNING 1)
       SELECT count(*)::int AS n FROM purged`,
      [now, defaultMonths],
    );
    return n;
  }
}
