import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { IsolationStatusValue } from '@kanshi/events';
import { TenantDirectory } from '@kanshi/platform';
import { EdrProductValue } from '../endpoints/edr-products';
import { IsolationLogEntity } from './isolation-log.entity';
import { IsolationEntity } from './isolation.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ACTIVE_STATUSES: IsolationStatusValue[] = ['REQUESTED', 'ISOLATED', 'RELEASE_REQUESTED'];
// A listing asked for more than this answers an error asking to narrow it (never cut silently).
export const MAX_LISTED_ISOLATIONS = 1000;

export type LogLine = Omit<IsolationLogEntity, 'id' | 'isolationId' | 'method' | 'path' | 'httpStatus' | 'durationMs' | 'status'> &
  Partial<Pick<IsolationLogEntity, 'method' | 'path' | 'httpStatus' | 'durationMs' | 'status'>>;

export interface UnhealthyConnector {
  customerId: string;
  edrProduct: EdrProductValue;
  message: string | null;
  since: Date;
}

@Injectable()
export class IsolationsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // False when an isolation with that id exists already (a repeated command acts once).
  async insert(em: EntityManager, row: Partial<IsolationEntity>): Promise<boolean> {
    const r = await em.createQueryBuilder().insert().into(IsolationEntity).values(row).orIgnore().returning('id').execute();
    return r.raw.length > 0;
  }

  find(id: string, em: EntityManager = this.ds.manager): Promise<IsolationEntity | null> {
    return em.getRepository(IsolationEntity).findOneBy({ id });
  }

  lock(em: EntityManager, id: string): Promise<IsolationEntity | null> {
    return em.getRepository(IsolationEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  async update(em: EntityManager, id: string, patch: Partial<IsolationEntity>): Promise<void> {
    await em.getRepository(IsolationEntity).update({ id }, { ...patch, updatedAt: new Date() });
  }

  // Other isolations of the endpoint in one of `statuses` (locked: they change with this one).
  others(em: EntityManager, endpointId: string, exceptId: string, statuses: IsolationStatusValue[]): Promise<IsolationEntity[]> {
    return em
      .getRepository(IsolationEntity)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.endpoint_id = :endpointId AND i.id <> :exceptId AND i.status IN (:...statuses)', { endpointId, exceptId, statuses })
      .orderBy('i.requested_at')
      .getMany();
  }

  async log(em: EntityManager, isolationId: string, lines: LogLine[]): Promise<void> {
    if (!lines.length) return;
    await em.getRepository(IsolationLogEntity).insert(
      lines.map((l) => ({ method: null, path: null, httpStatus: null, durationMs: null, status: null, ...l, isolationId })),
    );
  }

  // The isolation for one job run, if it is waiting and no other run holds it.
  async lease(id: string, ms: number): Promise<IsolationEntity | null> {
    const rows: { id: string }[] = await this.ds.query(
      `UPDATE endpoint_response.isolation SET lease_until = now() + make_interval(secs => $2::float8 / 1000)
       WHERE id = $1 AND status IN ('REQUESTED', 'RELEASE_REQUESTED') AND (lease_until IS NULL OR lease_until < now()) RETURNING id`,
      [id, ms],
    );
    return rows.length ? this.find(id) : null;
  }

  async unlease(id: string): Promise<void> {
    await this.ds.query(`UPDATE endpoint_response.isolation SET lease_until = NULL WHERE id = $1`, [id]);
  }

  // Waiting isolations whose deadline passed (their job died or the EDR never confirmed), and
  // waiting ones to make sure a job looks after.
  async waiting(): Promise<{ id: string; overdue: boolean }[]> {
    const rows: { id: string; overdue: boolean }[] = await this.ds.query(
      `SELECT id, deadline_at < now() AS overdue FROM endpoint_response.isolation
       WHERE status IN ('REQUESTED', 'RELEASE_REQUESTED') AND (lease_until IS NULL OR lease_until < now()) AND updated_at < now() - interval '30 seconds'
       ORDER BY deadline_at LIMIT 5000`,
    );
    return rows;
  }

  async visible(scope: TenantScope, filter: { customerId?: string; active?: boolean }): Promise<IsolationEntity[]> {
    if (filter.customerId !== undefined && !UUID.test(filter.customerId)) return [];
    const qb = this.ds.getRepository(IsolationEntity).createQueryBuilder('i').orderBy('i.requested_at', 'DESC').addOrderBy('i.id').limit(MAX_LISTED_ISOLATIONS + 1);
    this.directory.applyScope(qb, scope, 'i.customer_id');
    if (filter.customerId) qb.andWhere('i.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.active === true) qb.andWhere('i.status IN (:...active)', { active: ACTIVE_STATUSES });
    if (filter.active === false) qb.andWhere('i.status NOT IN (:...active)', { active: ACTIVE_STATUSES });
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<IsolationEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.ds.getRepository(IsolationEntity).createQueryBuilder('i').where('i.id IN (:...ids)', { ids: valid });
    this.directory.applyScope(qb, scope, 'i.customer_id');
    return qb.getMany();
  }

  // The logs of isolations already checked visible, oldest line first.
  logsOf(isolationIds: readonly string[]): Promise<IsolationLogEntity[]> {
    if (!isolationIds.length) return Promise.resolve([]);
    return this.ds.getRepository(IsolationLogEntity).createQueryBuilder('l').where('l.isolation_id IN (:...ids)', { ids: isolationIds }).orderBy('l.id').getMany();
  }

  async unhealthyConnectors(): Promise<UnhealthyConnector[]> {
    const rows: { customer_id: string; edr_product: EdrProductValue; message: string | null; changed_at: Date }[] = await this.ds.query(
      `SELECT customer_id, product AS edr_product, last_error AS message, checked_at AS changed_at FROM endpoint_response.edr_connector
       WHERE health = 'UNHEALTHY' ORDER BY checked_at, customer_id, product`,
    );
    return rows.map((r) => ({ customerId: r.customer_id, edrProduct: r.edr_product, message: r.message, since: r.changed_at }));
  }
}
