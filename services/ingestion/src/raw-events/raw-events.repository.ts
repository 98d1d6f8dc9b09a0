import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { SensorProductCode } from '@kanshi/events';
import { decodeCursor, TenantDirectory } from '@kanshi/platform';
import { RAW_EVENT_COLUMNS, type RawRows } from '../intake/pipeline/stored-columns';
import { classTableName, MonthPartition, monthPartition, parsePartitionName } from './partition-calendar';

// One batch of accepted records of one sensor, as COPY rows the parse worker wrote.
export interface RawEventBatch {
  customerId: string;
  sensorId: string;
  product: string;
  transport: string;
  retentionMonths: number;
  rows: RawRows;
}

export interface RawEventRow {
  id: string;
  received_at: Date;
  occurred_at: Date;
  customer_id: string;
  sensor_id: string;
  product: SensorProductCode;
  transport: string;
  kind: string;
  severity: number;
  raw: string;
  raw_bytes: Buffer | null;
}

export interface RawEventSearch {
  from: Date;
  to: Date;
  text?: string;
  customerId?: string;
  sensorId?: string;
  kind?: string;
}

const PARTITION_LOCK = `hashtext('ingestion.raw_event.partitions')`;

@Injectable()
export class RawEventsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // COPY, in the caller's transaction: the fastest way into PostgreSQL (about twice the rows per
  // second of an INSERT unnesting arrays, measured in the ingest benchmark). The rows arrive
  // ready-made from the parse worker, so the main thread does no per-row work at all.
  async insert(em: EntityManager, b: RawEventBatch): Promise<void> {
    if (b.rows.count === 0) return;
    const client = (await em.queryRunner!.connect()) as PoolClient;
    const stream = client.query(copyFrom(`COPY ingestion.raw_event (${RAW_EVENT_COLUMNS}) FROM STDIN`));
    const data = Buffer.from(b.rows.copy.buffer, b.rows.copy.byteOffset, b.rows.copy.byteLength);
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      // 'finish' comes once the server has acknowledged the COPY
      stream.once('finish', resolve);
      stream.end(data);
    });
  }

  // Newest first, keyset-paginated on (received_at, id).
  async search(scope: TenantScope, q: RawEventSearch, limit: number, after: string | undefined, timeoutMs: number): Promise<RawEventRow[]> {
    const params: unknown[] = [q.from, q.to];
    const where = ['received_at >= $1', 'received_at < $2'];
    const [scopeSql, scopeParams] = this.directory.condition(scope, 'customer_id', params.length + 1);
    where.push(scopeSql);
    params.push(...scopeParams);
    if (q.customerId) where.push(`customer_id = $${params.push(q.customerId)}`);
    if (q.sensorId) where.push(`sensor_id = $${params.push(q.sensorId)}`);
    if (q.kind) where.push(`kind = $${params.push(q.kind)}`);
    // A plain substring, case-insensitive: LIKE's own wildcards in the text are matched literally.
    if (q.text) where.push(`raw ILIKE $${params.push(`%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    if (after) {
      const c = decodeCursor(after);
      where.push(`(received_at, id) < ($${params.push(c.sortKey)}::timestamptz, $${params.push(c.id)}::bigint)`);
    }
    return this.ds.transaction(async (em) => {
      // bounded: a substring search over months of lines must not hold a connection for minutes
      await em.query(`SELECT set_config('statement_timeout', $1, true)`, [String(timeoutMs)]);
      // Ordered by the table's columns (r.id), not the output's: a bare `id` in ORDER BY would be
      // the text alias below, and '9' sorts after '10', which broke paging at 9 -> 10, 99 -> 100...
      return em.query(
        `SELECT r.id::text AS id, r.received_at, r.occurred_at, r.customer_id, r.sensor_id, r.product, r.transport, r.kind, r.severity, r.raw, r.raw_bytes
         FROM ingestion.raw_event r WHERE ${where.join(' AND ')} ORDER BY r.received_at DESC, r.id DESC LIMIT $${params.push(limit)}`,
        params,
      );
    });
  }

  // ---- partitions ---------------------------------------------------------------------------

  // Idempotent and safe to race with other replicas (serialized by an advisory lock).
  async ensurePartitions(partitions: MonthPartition[]): Promise<void> {
    if (partitions.length === 0) return;
    await this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(${PARTITION_LOCK})`);
      await this.createPartitions(em, partitions);
    });
  }

  async listMonthPartitions(): Promise<MonthPartition[]> {
    const rows: { name: string }[] = await this.ds.query(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'ingestion' AND parent.relname LIKE 'raw\\_event\\_r%'`,
    );
    return rows.map((r) => parsePartitionName(r.name)).filter((p): p is MonthPartition => p !== null);
  }

  async retentionClassesWithPartitions(): Promise<number[]> {
    const rows: { name: string }[] = await this.ds.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = parent.relnamespace WHERE n.nspname = 'ingestion' AND parent.relname = 'raw_event'`,
    );
    return rows.map((r) => /^raw_event_r(\d+)$/.exec(r.name)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));
  }

  // Drops an expired month. Events of customers whose retention has since grown beyond this
  // class are first moved to their longer class, so raising a contract's retention keeps what
  // was already received. Returns how many events were moved.
  async dropPartition(p: MonthPartition, now: Date): Promise<number> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(${PARTITION_LOCK})`);
      const exists: unknown[] = await em.query(`SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'ingestion' AND c.relname = $1`, [p.name]);
      if (exists.length === 0) return 0;
      const longer: { months: number }[] = await em.query(
        `SELECT DISTINCT c.months FROM ingestion.${p.name} e
         JOIN (SELECT customer_id, max(log_retention_months) AS months FROM ingestion.customer_contract GROUP BY customer_id) c ON c.customer_id = e.customer_id
         WHERE c.months > $1 AND e.received_at >= $2::timestamptz - make_interval(months => c.months)`,
        [p.retentionMonths, now],
      );
      await this.createPartitions(
        em,
        longer.map((l) => monthPartition(l.months, p.from)),
      );
      let moved = 0;
      if (longer.length) {
        const [{ n }]: { n: number }[] = await em.query(
          `WITH moved AS (
             INSERT INTO ingestion.raw_event (id, received_at, retention_months, occurred_at, customer_id, sensor_id, product, transport, kind, severity, raw, raw_bytes)
             SELECT e.id, e.received_at, c.months, e.occurred_at, e.customer_id, e.sensor_id, e.product, e.transport, e.kind, e.severity, e.raw, e.raw_bytes
             FROM ingestion.${p.name} e
             JOIN (SELECT customer_id, max(log_retention_months) AS months FROM ingestion.customer_contract GROUP BY customer_id) c ON c.customer_id = e.customer_id
             WHERE c.months > $1 AND e.received_at >= $2::timestamptz - make_interval(months => c.months)
             RETURNING 1)
           SELECT count(*)::int AS n FROM moved`,
          [p.retentionMonths, now],
        );
        moved = n;
      }
      await em.query(`DROP TABLE ingestion.${p.name}`);
      return moved;
    });
  }

  private async createPartitions(em: EntityManager, partitions: MonthPartition[]): Promise<void> {
    const existing = new Set(
      ((await em.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'ingestion' AND c.relname = ANY($1)`, [
        partitions.map((p) => p.name),
      ])) as { relname: string }[]).map((r) => r.relname),
    );
    const missing = partitions.filter((p) => !existing.has(p.name));
    if (missing.length === 0) return;
    // Searches and COPY lock raw_event before its class tables and months. Creating a month locks
    // its class table, and one created month is held until commit, so creating several while a
    // search ran deadlocked with it (seen in the suite). Taking raw_event first, as they do, makes
    // this wait for running statements and hold up new ones for the moment it takes.
    await em.query(`LOCK TABLE ONLY ingestion.raw_event IN ACCESS EXCLUSIVE MODE`);
    for (const p of missing) {
      const parent = classTableName(p.retentionMonths);
      await em.query(`CREATE TABLE IF NOT EXISTS ingestion.${parent} PARTITION OF ingestion.raw_event FOR VALUES IN (${p.retentionMonths}) PARTITION BY RANGE (received_at)`);
      await em.query(
        `CREATE TABLE IF NOT EXISTS ingestion.${p.name} PARTITION OF ingestion.${parent} FOR VALUES FROM ('${p.from.toISOString()}') TO ('${p.to.toISOString()}')`,
      );
    }
  }
}
