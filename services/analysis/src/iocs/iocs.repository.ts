import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { IocIndicatorEntity } from './ioc-indicator.entity';
import { ParsedIndicator } from './ioc-import';
import { IocType, Tlp } from './ioc-kinds';
import { IocListEntity } from './ioc-list.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// What the matcher loads: an indicator with its list's metadata.
export interface IndexedIndicatorRow {
  id: string;
  list_id: string;
  customer_id: string | null;
  list_name: string;
  source: string;
  list_tlp: Tlp;
  tlp: Tlp | null;
  type: IocType;
  value: string;
  confidence: number;
  valid_from: Date | null;
  valid_until: Date | null;
}

type RawList = { id: string; customer_id: string | null; name: string; source: string; tlp: Tlp; default_confidence: number; created_by: string; created_at: Date; updated_at: Date; indicator_count: string };

function listOf(r: RawList): IocListEntity {
  return Object.assign(new IocListEntity(), {
    id: r.id,
    customerId: r.customer_id,
    name: r.name,
    source: r.source,
    tlp: r.tlp,
    defaultConfidence: r.default_confidence,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    indicatorCount: Number(r.indicator_count),
  });
}

const LIST_COLUMNS = `l.id, l.customer_id, l.name, l.source, l.tlp, l.default_confidence, l.created_by, l.created_at, l.updated_at,
  (SELECT count(*) FROM analysis.ioc_indicator i WHERE i.list_id = l.id) AS indicator_count`;

@Injectable()
export class IocsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // Lists the scope may see: a tenant's scope never matches a global list (customer_id null).
  async lists(scope: TenantScope, customerId?: string): Promise<IocListEntity[]> {
    const [cond, params] = this.directory.condition(scope, 'l.customer_id', 1);
    let sql = `SELECT ${LIST_COLUMNS} FROM analysis.ioc_list l WHERE ${cond}`;
    if (customerId !== undefined) {
      params.push(UUID.test(customerId) ? customerId : null);
      sql += ` AND l.customer_id = $${params.length}`;
    }
    const rows: RawList[] = await this.ds.query(`${sql} ORDER BY l.customer_id NULLS FIRST, l.name, l.id`, params);
    return rows.map(listOf);
  }

  async visibleList(em: EntityManager | DataSource, scope: TenantScope, id: string, lock = false): Promise<IocListEntity | null> {
    if (!UUID.test(id)) return null;
    const [cond, params] = this.directory.condition(scope, 'l.customer_id', 2);
    const rows: RawList[] = await em.query(`SELECT ${LIST_COLUMNS} FROM analysis.ioc_list l WHERE l.id = $1 AND ${cond}${lock ? ' FOR UPDATE OF l' : ''}`, [id, ...params]);
    return rows[0] ? listOf(rows[0]) : null;
  }

  // The list of that name for that owner, created when missing, then locked for the import.
  async upsertList(em: EntityManager, values: { customerId: string | null; name: string; source: string; tlp: Tlp; defaultConfidence?: number; createdBy: string }): Promise<IocListEntity> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO analysis.ioc_list (customer_id, name, source, tlp, default_confidence, created_by) VALUES ($1, $2, $3, $4, COALESCE($5::smallint, 50), $6)
       ON CONFLICT (customer_id, name) DO UPDATE SET source = EXCLUDED.source, tlp = EXCLUDED.tlp,
         default_confidence = COALESCE($5::smallint, analysis.ioc_list.default_confidence), updated_at = now()
       RETURNING id`,
      [values.customerId, values.name, values.source, values.tlp, values.defaultConfidence ?? null, values.createdBy],
    );
    return (await this.visibleList(em, { kind: 'all' }, rows[0].id, true))!;
  }

  async touchList(em: EntityManager, id: string, values: { source: string; tlp: Tlp; defaultConfidence?: number }): Promise<void> {
    await em.query(`UPDATE analysis.ioc_list SET source = $2, tlp = $3, default_confidence = COALESCE($4::smallint, default_confidence), updated_at = now() WHERE id = $1`, [
      id,
      values.source,
      values.tlp,
      values.defaultConfidence ?? null,
    ]);
  }

  // Inserts or updates by (list, type, value), in chunks; a value twice in one file keeps the last.
  async upsertIndicators(em: EntityManager, listId: string, defaultConfidence: number, indicators: ParsedIndicator[]): Promise<number> {
    const unique = new Map<string, ParsedIndicator>();
    for (const i of indicators) unique.set(`${i.type}\u0000${i.value}`, i);
    const all = [...unique.values()];
    for (let start = 0; start < all.length; start += 1000) {
      const chunk = all.slice(start, start + 1000);
      await em.query(
        `INSERT INTO analysis.ioc_indicator (list_id, type, value, confidence, valid_from, valid_until, tlp, stix_id, description, labels)
         SELECT $1, t.type, t.value, t.confidence, t.valid_from, t.valid_until, t.tlp, t.stix_id, t.description, ARRAY(SELECT jsonb_array_elements_text(t.labels))
         FROM jsonb_to_recordset($2::jsonb) AS t(type text, value text, confidence smallint, valid_from timestamptz, valid_until timestamptz, tlp text, stix_id text, description text, labels jsonb)
         ON CONFLICT (list_id, type, value) DO UPDATE SET confidence = EXCLUDED.confidence, valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until,
           tlp = EXCLUDED.tlp, stix_id = EXCLUDED.stix_id, description = EXCLUDED.description, labels = EXCLUDED.labels, updated_at = now()`,
        [
          listId,
          JSON.stringify(
            chunk.map((i) => ({
              type: i.type,
              value: i.value,
              confidence: i.confidence ?? defaultConfidence,
              valid_from: i.validFrom?.toISOString() ?? null,
              valid_until: i.validUntil?.toISOString() ?? null,
              tlp: i.tlp,
              stix_id: i.stixId,
              description: i.description,
              labels: i.labels,
            })),
          ),
        ],
      );
    }
    return all.length;
  }

  async bumpRevision(em: EntityManager): Promise<void> {
    await em.query(`UPDATE analysis.ioc_revision SET revision = revision + 1 WHERE id = 1`);
  }

  async revision(): Promise<string> {
    const rows: { revision: string }[] = await this.ds.query(`SELECT revision FROM analysis.ioc_revision WHERE id = 1`);
    return rows[0]?.revision ?? '0';
  }

  // Every indicator not yet expired at `now`, with its list, for the matcher's index.
  indexable(now: Date): Promise<IndexedIndicatorRow[]> {
    return this.ds.query(
      `SELECT i.id, i.list_id, l.customer_id, l.name AS list_name, l.source, l.tlp AS list_tlp, i.tlp, i.type, i.value, i.confidence, i.valid_from, i.valid_until
       FROM analysis.ioc_indicator i JOIN analysis.ioc_list l ON l.id = i.list_id
       WHERE i.valid_until IS NULL OR i.valid_until > $1`,
      [now],
    );
  }

  // A page of a list's indicators in (value, id) order, first + 1 rows.
  page(listId: string, limit: number, after?: { sortKey: string; id: string }): Promise<IocIndicatorEntity[]> {
    const qb = this.ds.getRepository(IocIndicatorEntity).createQueryBuilder('i').where('i.list_id = :listId', { listId }).orderBy('i.value', 'ASC').addOrderBy('i.id', 'ASC').limit(limit);
    if (after) qb.andWhere('(i.value, i.id) > (:v, :id)', { v: after.sortKey, id: UUID.test(after.id) ? after.id : '00000000-0000-0000-0000-000000000000' });
    return qb.getMany();
  }
}
