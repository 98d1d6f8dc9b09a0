import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { EndpointChangedBody, IsolationStatusValue } from '@kanshi/events';
import { TenantDirectory } from '@kanshi/platform';
import { EndpointHint, EndpointView } from './endpoint-view';
import { IsolationEntity } from './isolation.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_HINTS = 100;

export interface NewIsolation {
  incidentId: string;
  customerId: string;
  endpointId: string;
  hostName: string;
  requestedAt: Date;
  requestedBy: string;
  approvedBy: string | null;
  reason: string;
}

interface EndpointRow {
  endpoint_id: string;
  customer_id: string;
  version: number;
  host_name: string;
  ips: string[];
  agent_id: string | null;
  isolated: boolean;
  retired: boolean;
}

const toView = (r: EndpointRow): EndpointView => ({
  endpointId: r.endpoint_id,
  customerId: r.customer_id,
  version: r.version,
  hostName: r.host_name,
  ips: r.ips,
  agentId: r.agent_id,
  isolated: r.isolated,
  retired: r.retired,
});

// All SQL of isolations: the endpoint read model, the incident's endpoint hints and the isolations.
@Injectable()
export class IsolationsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // Keeps the newest version per endpoint; an older (or the same) version changes nothing.
  async upsertEndpoint(em: EntityManager, customerId: string, b: EndpointChangedBody): Promise<void> {
    await em.query(
      `INSERT INTO incident.endpoint (endpoint_id, customer_id, version, host_name, ips, os, edr_product, agent_id, last_seen_at, isolated, retired, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
       ON CONFLICT (endpoint_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, version = EXCLUDED.version, host_name = EXCLUDED.host_name,
         ips = EXCLUDED.ips, os = EXCLUDED.os, edr_product = EXCLUDED.edr_product, agent_id = EXCLUDED.agent_id, last_seen_at = EXCLUDED.last_seen_at,
         isolated = EXCLUDED.isolated, retired = EXCLUDED.retired, updated_at = now()
       WHERE incident.endpoint.version < EXCLUDED.version`,
      [b.endpointId, customerId, b.version, b.hostName, b.ips, b.os ?? null, b.edrProduct ?? null, b.agentId ?? null, b.lastSeenAt ?? null, b.isolated, b.retired],
    );
  }

  // The customer's managed (not retired) endpoints any hint names: a hint analysis resolved names
  // its endpoint id alone; any other by agent id, host name (case insensitive, also the short name
  // before the first dot) or one of its addresses.
  async matchEndpoints(em: EntityManager, customerId: string, hints: readonly EndpointHint[]): Promise<EndpointView[]> {
    const resolved = hints.filter((h) => h.endpointId && UUID.test(h.endpointId));
    const open = hints.filter((h) => !resolved.includes(h));
    const endpointIds = resolved.map((h) => h.endpointId!);
    const agentIds = open.map((h) => h.agentId).filter((v): v is string => Boolean(v));
    const hosts = open.map((h) => h.hostName?.toLowerCase()).filter((v): v is string => Boolean(v));
    const ips = open.map((h) => h.ip).filter((v): v is string => Boolean(v));
    if (!endpointIds.length && !agentIds.length && !hosts.length && !ips.length) return [];
    const rows: EndpointRow[] = await em.query(
      `SELECT endpoint_id, customer_id, version, host_name, ips, agent_id, isolated, retired FROM incident.endpoint
       WHERE customer_id = $1 AND NOT retired
         AND (endpoint_id = ANY($5::uuid[]) OR agent_id = ANY($2::text[]) OR lower(host_name) = ANY($3::text[]) OR split_part(lower(host_name), '.', 1) = ANY($3::text[]) OR ips && $4::text[])
       ORDER BY host_name`,
      [customerId, agentIds, hosts, ips, endpointIds],
    );
    return rows.map(toView);
  }

  async endpoint(em: EntityManager, endpointId: string): Promise<EndpointView | null> {
    if (!UUID.test(endpointId)) return null;
    const rows: EndpointRow[] = await em.query(
      `SELECT endpoint_id, customer_id, version, host_name, ips, agent_id, isolated, retired FROM incident.endpoint WHERE endpoint_id = $1`,
      [endpointId],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  // Adds the verdict's endpoints to what the incident's verdicts named before.
  async addHints(em: EntityManager, incidentId: string, hints: readonly EndpointHint[]): Promise<void> {
    if (!hints.length) return;
    const all = mergeHints(await this.hints(em, incidentId), hints);
    await em.query(
      `INSERT INTO incident.isolation_hint (incident_id, endpoints, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (incident_id) DO UPDATE SET endpoints = EXCLUDED.endpoints, updated_at = now()`,
      [incidentId, JSON.stringify(all.slice(0, MAX_HINTS))],
    );
  }

  // addHints() of many incidents (an incident may come more than once): one read, one write.
  async addHintsMany(em: EntityManager, items: readonly { incidentId: string; hints: readonly EndpointHint[] }[]): Promise<void> {
    const wanted = items.filter((i) => i.hints.length);
    if (!wanted.length) return;
    const ids = [...new Set(wanted.map((i) => i.incidentId))];
    const rows: { incident_id: string; endpoints: EndpointHint[] }[] = await em.query(`SELECT incident_id, endpoints FROM incident.isolation_hint WHERE incident_id = ANY($1::uuid[])`, [ids]);
    const merged = new Map<string, EndpointHint[]>(ids.map((id) => [id, []]));
    for (const r of rows) merged.set(r.incident_id, r.endpoints);
    for (const i of wanted) merged.set(i.incidentId, mergeHints(merged.get(i.incidentId)!, i.hints));
    await em.query(
      `INSERT INTO incident.isolation_hint (incident_id, endpoints, updated_at) SELECT u.id, u.endpoints, now() FROM unnest($1::uuid[], $2::jsonb[]) AS u(id, endpoints)
       ON CONFLICT (incident_id) DO UPDATE SET endpoints = EXCLUDED.endpoints, updated_at = now()`,
      [ids, ids.map((id) => JSON.stringify(merged.get(id)!.slice(0, MAX_HINTS)))],
    );
  }

  async hints(em: EntityManager, incidentId: string): Promise<EndpointHint[]> {
    const rows: { endpoints: EndpointHint[] }[] = await em.query(`SELECT endpoints FROM incident.isolation_hint WHERE incident_id = $1`, [incidentId]);
    return rows[0]?.endpoints ?? [];
  }

  // null when an active isolation of that endpoint already exists for the incident.
  async insert(em: EntityManager, n: NewIsolation): Promise<IsolationEntity | null> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO incident.isolation (incident_id, customer_id, endpoint_id, host_name, requested_at, requested_by, approved_by, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (incident_id, endpoint_id) WHERE status NOT IN ('FAILED', 'RELEASED') DO NOTHING RETURNING id`,
      [n.incidentId, n.customerId, n.endpointId, n.hostName, n.requestedAt, n.requestedBy, n.approvedBy, n.reason],
    );
    return rows[0] ? em.getRepository(IsolationEntity).findOneByOrFail({ id: rows[0].id }) : null;
  }

  async active(em: EntityManager, incidentId: string, endpointId: string): Promise<IsolationEntity | null> {
    return em
      .getRepository(IsolationEntity)
      .createQueryBuilder('s')
      .where('s.incident_id = :incidentId AND s.endpoint_id = :endpointId', { incidentId, endpointId })
      .andWhere(`s.status NOT IN ('FAILED', 'RELEASED')`)
      .getOne();
  }

  async lock(em: EntityManager, id: string): Promise<IsolationEntity | null> {
    if (!UUID.test(id)) return null;
    return em.getRepository(IsolationEntity).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id }).getOne();
  }

  // The caller's tenant only; locked until the transaction ends.
  async lockVisible(em: EntityManager, scope: TenantScope, id: string): Promise<IsolationEntity | null> {
    if (!UUID.test(id)) return null;
    const qb = em.getRepository(IsolationEntity).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id });
    this.directory.applyScope(qb, scope, 's.customer_id');
    return qb.getOne();
  }

  async save(em: EntityManager, i: IsolationEntity): Promise<IsolationEntity> {
    return em.getRepository(IsolationEntity).save(i);
  }

  async setStatus(em: EntityManager, i: IsolationEntity, status: IsolationStatusValue, at: Date, error: string | null = null): Promise<void> {
    i.status = status;
    i.outcomeAt = at;
    i.error = error;
    await em.getRepository(IsolationEntity).save(i);
  }

  async forIncidents(scope: TenantScope, incidentIds: readonly string[]): Promise<IsolationEntity[]> {
    const valid = incidentIds.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.ds.getRepository(IsolationEntity).createQueryBuilder('s').where('s.incident_id IN (:...ids)', { ids: valid }).orderBy('s.requested_at', 'ASC');
    this.directory.applyScope(qb, scope, 's.customer_id');
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<IsolationEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.ds.getRepository(IsolationEntity).createQueryBuilder('s').where('s.id IN (:...ids)', { ids: valid });
    this.directory.applyScope(qb, scope, 's.customer_id');
    return qb.getMany();
  }
}

// The known hints with the new ones added, each once (endpoint id, agent id, host name and address).
function mergeHints(known: readonly EndpointHint[], hints: readonly EndpointHint[]): EndpointHint[] {
  const key = (h: EndpointHint) => `${h.endpointId ?? ''}|${h.agentId ?? ''}|${h.hostName ?? ''}|${h.ip ?? ''}`;
  const seen = new Set(known.map(key));
  const all = [...known];
  for (const h of hints) {
    const clean = { hostName: h.hostName ?? null, ip: h.ip ?? null, agentId: h.agentId ?? null, ...(h.endpointId ? { endpointId: h.endpointId } : {}) };
    if (!seen.has(key(clean))) {
      seen.add(key(clean));
      all.push(clean);
    }
  }
  return all;
}
