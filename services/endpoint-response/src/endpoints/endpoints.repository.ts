import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { EdrProductValue } from './edr-products';
import { EndpointEntity } from './endpoint.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class EndpointsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // A malformed customer id matches nothing (and never reaches PostgreSQL as a bad uuid).
  async findVisible(scope: TenantScope, customerIds?: readonly string[]): Promise<EndpointEntity[]> {
    const valid = customerIds?.filter((id) => UUID.test(id));
    if (valid && !valid.length) return [];
    const qb = this.ds.getRepository(EndpointEntity).createQueryBuilder('e').orderBy('e.host_name').addOrderBy('e.id');
    this.directory.applyScope(qb, scope, 'e.customer_id');
    if (valid) qb.andWhere('e.customer_id = ANY(:customerIds)', { customerIds: valid });
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<EndpointEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.ds.getRepository(EndpointEntity).createQueryBuilder('e').where('e.id IN (:...ids)', { ids: valid });
    this.directory.applyScope(qb, scope, 'e.customer_id');
    return qb.getMany();
  }

  agentTaken(em: EntityManager, edrProduct: EdrProductValue, edrAgentId: string): Promise<boolean> {
    return em.getRepository(EndpointEntity).existsBy({ edrProduct, edrAgentId });
  }

  insert(em: EntityManager, values: Partial<EndpointEntity>): Promise<EndpointEntity> {
    const repo = em.getRepository(EndpointEntity);
    return repo.save(repo.create(values));
  }

  lock(em: EntityManager, id: string): Promise<EndpointEntity | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    return em.getRepository(EndpointEntity).createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id }).getOne();
  }

  find(id: string): Promise<EndpointEntity | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    return this.ds.getRepository(EndpointEntity).findOneBy({ id });
  }

  // Writes the changes and the next version; returns the row as it now is.
  async change(em: EntityManager, e: EndpointEntity, patch: Partial<EndpointEntity>): Promise<EndpointEntity> {
    const next = { ...patch, version: e.version + 1, updatedAt: new Date() };
    await em.getRepository(EndpointEntity).update({ id: e.id }, next);
    return Object.assign(e, next);
  }

  // The containment Kanshi drives (not published: only `isolated` is part of the inventory).
  async setContainment(em: EntityManager, e: EndpointEntity, containment: EndpointEntity['containment']): Promise<void> {
    await em.getRepository(EndpointEntity).update({ id: e.id }, { containment });
    e.containment = containment;
  }

  // Last seen moved forward by little: written without a new version (no change published).
  async touchLastSeen(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.getRepository(EndpointEntity).update({ id }, { lastSeenAt: at });
  }

  byAgent(em: EntityManager, edrProduct: EdrProductValue, edrAgentId: string): Promise<EndpointEntity | null> {
    return em.getRepository(EndpointEntity).createQueryBuilder('e').setLock('pessimistic_write').where('e.edr_product = :edrProduct AND e.edr_agent_id = :edrAgentId', { edrProduct, edrAgentId }).getOne();
  }

  // The customer's endpoint of that host name (any case), preferring one without an agent yet.
  byHostName(em: EntityManager, customerId: string, hostName: string, opts: { withoutAgent?: boolean } = {}): Promise<EndpointEntity | null> {
    const qb = em
      .getRepository(EndpointEntity)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.customer_id = :customerId AND lower(e.host_name) = lower(:hostName)', { customerId, hostName })
      .orderBy('e.edr_agent_id IS NULL', 'DESC')
      .addOrderBy('e.created_at')
      .limit(1);
    if (opts.withoutAgent) qb.andWhere('e.edr_agent_id IS NULL');
    return qb.getOne();
  }

  byIp(em: EntityManager, customerId: string, ip: string): Promise<EndpointEntity | null> {
    return em.getRepository(EndpointEntity).createQueryBuilder('e').setLock('pessimistic_write').where('e.customer_id = :customerId AND :ip = ANY(e.ip_addresses)', { customerId, ip }).orderBy('e.created_at').limit(1).getOne();
  }

  // Endpoints whose retired flag no longer matches the managed window (last seen before `cutoff`).
  retirementChanges(em: EntityManager, cutoff: Date): Promise<EndpointEntity[]> {
    return em
      .getRepository(EndpointEntity)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.edr_agent_id IS NOT NULL')
      .andWhere('((e.retired = false AND e.last_seen_at < :cutoff) OR (e.retired = true AND e.last_seen_at >= :cutoff))', { cutoff })
      .getMany();
  }

  // Managed endpoints per customer: an agent its EDR reported at or after `cutoff`.
  async managedCounts(customerIds: readonly string[], cutoff: Date): Promise<Map<string, number>> {
    const out = new Map<string, number>(customerIds.map((id) => [id, 0]));
    if (!customerIds.length) return out;
    const rows: { customer_id: string; n: number }[] = await this.ds.query(
      `SELECT customer_id, count(*)::int AS n FROM endpoint_response.endpoint
       WHERE customer_id = ANY($1::uuid[]) AND edr_agent_id IS NOT NULL AND last_seen_at >= $2 GROUP BY customer_id`,
      [customerIds, cutoff],
    );
    for (const r of rows) out.set(r.customer_id, r.n);
    return out;
  }
}
