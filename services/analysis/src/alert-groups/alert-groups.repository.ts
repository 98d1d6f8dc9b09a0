import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SocSeverity } from '@kanshi/events';
import { TenantScope } from '@kanshi/auth';
import { decodeCursor, TenantDirectory } from '@kanshi/platform';
import { AlertGroupEntity } from './alert-group.entity';
import { AlertGroupFilter } from './alert-group-filter.input';
import { CandidateGroup, MAX_GROUP_HOSTS, MAX_GROUP_IOCS, MAX_GROUP_RULE_KEYS } from './alert-grouping';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Row = {
  id: string;
  customer_id: string;
  status: 'OPEN' | 'CLOSED';
  severity: SocSeverity | null;
  title: string;
  vendor_group_key: string | null;
  rule_keys: string[];
  hosts: string[];
  ioc_values: string[];
  first_seen_at: Date;
  last_seen_at: Date;
  last_alert_at: Date;
  alert_count: number;
  closed_at: Date | null;
  closed_by: string | null;
  created_at: Date;
};

// An open group as the grouping decision reads it.
function candidateOf(r: Row): CandidateGroup {
  return {
    id: r.id,
    vendorGroupKey: r.vendor_group_key,
    ruleKeys: r.rule_keys,
    hosts: r.hosts,
    iocValues: r.ioc_values,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    lastAlertAt: r.last_alert_at,
  };
}

// A group as read: a stored OPEN group with no alert for the window reads CLOSED, closed a
// window after its last alert joined.
function groupOf(r: Row, now: Date, windowMs: number): AlertGroupEntity {
  const expired = r.status === 'OPEN' && r.last_alert_at.getTime() <= now.getTime() - windowMs;
  return Object.assign(new AlertGroupEntity(), {
    id: r.id,
    customerId: r.customer_id,
    status: expired ? 'CLOSED' : r.status,
    severity: r.severity,
    title: r.title,
    vendorGroupKey: r.vendor_group_key,
    ruleKeys: r.rule_keys,
    hosts: r.hosts,
    iocValues: r.ioc_values,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    lastAlertAt: r.last_alert_at,
    alertCount: r.alert_count,
    closedAt: expired ? new Date(r.last_alert_at.getTime() + windowMs) : r.closed_at,
    closedBy: r.closed_by,
    createdAt: r.created_at,
  });
}

// Appends values to a text[] column: first seen first, no duplicates, at most `max`.
const merged = (column: string, param: string, max: number) =>
  `ARRAY(SELECT v FROM unnest(${column} || ${param}::text[]) WITH ORDINALITY AS t(v, n) GROUP BY v ORDER BY min(n) LIMIT ${max})`;

// How many candidate groups one alert is judged against (the most likely first).
export const CANDIDATE_LIMIT = 20;

// Many alerts joining one group (a batch's), in alert order.
export interface GroupJoins extends Omit<CandidateGroup, 'id'> {
  groupId: string;
  alertIds: string[];
  addedAt: Date[];
}

const SEVERITY_RANK = `ARRAY['LOW', 'MEDIUM', 'HIGH']`;

@Injectable()
export class AlertGroupsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // Transaction-scoped advisory locks on the keys, in one order (by hash) so two transactions
  // never wait on each other in a cycle.
  async lock(em: EntityManager, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await em.query(`SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) s`, [keys]);
  }

  // alert id -> group id of the alerts already grouped.
  async memberships(em: EntityManager, alertIds: string[]): Promise<Map<string, string>> {
    const rows: { alert_id: string; group_id: string }[] = await em.query(`SELECT alert_id, group_id FROM analysis.alert_group_member WHERE alert_id = ANY($1::uuid[])`, [alertIds]);
    return new Map(rows.map((r) => [r.alert_id, r.group_id]));
  }

  // The customer's groups still open at `openSince` that share the vendor key, a host or an IOC
  // value; those the rules prefer first (the vendor key, then the same rule).
  async candidates(em: EntityManager, q: { customerId: string; openSince: Date; vendorGroupKey: string | null; ruleKey: string | null; hosts: string[]; iocValues: string[] }): Promise<CandidateGroup[]> {
    const rows: Row[] = await em.query(
      `SELECT id, vendor_group_key, rule_keys, hosts, ioc_values, first_seen_at, last_seen_at, last_alert_at
       FROM analysis.alert_group
       WHERE customer_id = $1 AND status = 'OPEN' AND last_alert_at > $2
         AND (vendor_group_key = $3 OR hosts && $5::text[] OR ioc_values && $6::text[])
       ORDER BY (vendor_group_key IS NOT DISTINCT FROM $3) DESC, ($4::text = ANY (rule_keys)) DESC NULLS LAST, last_alert_at DESC, id DESC
       LIMIT ${CANDIDATE_LIMIT}`,
      [q.customerId, q.openSince, q.vendorGroupKey, q.ruleKey, q.hosts, q.iocValues],
    );
    return rows.map(candidateOf);
  }

  // The open groups any alert of a batch could join: what candidates() answers for each of them,
  // of all their customers at once, unordered and unlimited.
  async openGroupsFor(em: EntityManager, q: { customerIds: string[]; openSince: Date; vendorGroupKeys: string[]; hosts: string[]; iocValues: string[] }): Promise<(CandidateGroup & { customerId: string })[]> {
    const rows: Row[] = await em.query(
      `SELECT id, customer_id, vendor_group_key, rule_keys, hosts, ioc_values, first_seen_at, last_seen_at, last_alert_at
       FROM analysis.alert_group
       WHERE customer_id = ANY($1::uuid[]) AND status = 'OPEN' AND last_alert_at > $2
         AND (vendor_group_key = ANY($3::text[]) OR hosts && $4::text[] OR ioc_values && $5::text[])`,
      [q.customerIds, q.openSince, q.vendorGroupKeys, q.hosts, q.iocValues],
    );
    return rows.map((r) => ({ ...candidateOf(r), customerId: r.customer_id }));
  }

  // A new group holding the alert, in one statement.
  async create(
    em: EntityManager,
    v: { alertId: string; customerId: string; title: string; vendorGroupKey: string | null; ruleKeys: string[]; hosts: string[]; iocValues: string[]; occurredAt: Date; now: Date },
  ): Promise<string> {
    const rows: { group_id: string }[] = await em.query(
      `WITH g AS (
         INSERT INTO analysis.alert_group (customer_id, title, vendor_group_key, rule_keys, hosts, ioc_values, first_seen_at, last_seen_at, last_alert_at, alert_count, created_at)
         VALUES ($2, $3, $4, $5::text[], $6::text[], $7::text[], $8, $8, $9, 1, $9) RETURNING id)
       INSERT INTO analysis.alert_group_member (alert_id, group_id, added_at) SELECT $1, g.id, $9 FROM g RETURNING group_id`,
      [v.alertId, v.customerId, v.title, v.vendorGroupKey, v.ruleKeys.slice(0, MAX_GROUP_RULE_KEYS), v.hosts.slice(0, MAX_GROUP_HOSTS), v.iocValues.slice(0, MAX_GROUP_IOCS), v.occurredAt, v.now],
    );
    return rows[0].group_id;
  }

  // The alert joins the group, in one statement; false when the alert already was a member
  // (nothing counted twice). The merges read the row's latest version, so concurrent joins
  // through different keys lose nothing.
  async join(em: EntityManager, v: { groupId: string; alertId: string; vendorGroupKey: string | null; ruleKeys: string[]; hosts: string[]; iocValues: string[]; occurredAt: Date; now: Date }): Promise<boolean> {
    // TypeORM answers an UPDATE as [rows, count].
    const [rows]: [{ id: string }[], number] = await em.query(
      `WITH m AS (
         INSERT INTO analysis.alert_group_member (alert_id, group_id, added_at) VALUES ($2, $1, $8) ON CONFLICT (alert_id) DO NOTHING RETURNING group_id)
       UPDATE analysis.alert_group g SET
         alert_count = g.alert_count + 1,
         first_seen_at = LEAST(g.first_seen_at, $7), last_seen_at = GREATEST(g.last_seen_at, $7), last_alert_at = GREATEST(g.last_alert_at, $8),
         vendor_group_key = COALESCE(g.vendor_group_key, $3),
         rule_keys = ${merged('g.rule_keys', '$4', MAX_GROUP_RULE_KEYS)},
         hosts = ${merged('g.hosts', '$5', MAX_GROUP_HOSTS)},
         ioc_values = ${merged('g.ioc_values', '$6', MAX_GROUP_IOCS)}
       FROM m WHERE g.id = m.group_id
       RETURNING g.id`,
      [v.groupId, v.alertId, v.vendorGroupKey, v.ruleKeys, v.hosts, v.iocValues, v.occurredAt, v.now],
    );
    return rows.length > 0;
  }

  // Every group's joins of a batch in one statement: the members inserted, each group's count,
  // times and lists merged. A list sent empty leaves the group's as it is (the grouper sends only
  // values new to the group, so a busy group's lists are not merged again on every batch). Answers
  // how many members each group gained (a group missing from the answer gained none).
  async joinAll(em: EntityManager, joins: readonly GroupJoins[]): Promise<Map<string, number>> {
    if (!joins.length) return new Map();
    const sorted = [...joins].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    const groups = sorted.map((j) => ({ g: j.groupId, vk: j.vendorGroupKey, rk: j.ruleKeys, h: j.hosts, i: j.iocValues, f: j.firstSeenAt, l: j.lastSeenAt, la: j.lastAlertAt }));
    const [rows]: [{ id: string; added: number }[], number] = await em.query(
      `WITH m AS (
         INSERT INTO analysis.alert_group_member (alert_id, group_id, added_at)
         SELECT a, g, t FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) AS u(a, g, t) ON CONFLICT (alert_id) DO NOTHING RETURNING group_id),
       n AS (SELECT group_id, count(*)::int AS added FROM m GROUP BY group_id),
       j AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS j(g uuid, vk text, rk text[], h text[], i text[], f timestamptz, l timestamptz, la timestamptz))
       UPDATE analysis.alert_group g SET
         alert_count = g.alert_count + n.added,
         first_seen_at = LEAST(g.first_seen_at, j.f), last_seen_at = GREATEST(g.last_seen_at, j.l), last_alert_at = GREATEST(g.last_alert_at, j.la),
         vendor_group_key = COALESCE(g.vendor_group_key, j.vk),
         rule_keys = CASE WHEN cardinality(j.rk) = 0 THEN g.rule_keys ELSE ${merged('g.rule_keys', 'j.rk', MAX_GROUP_RULE_KEYS)} END,
         hosts = CASE WHEN cardinality(j.h) = 0 THEN g.hosts ELSE ${merged('g.hosts', 'j.h', MAX_GROUP_HOSTS)} END,
         ioc_values = CASE WHEN cardinality(j.i) = 0 THEN g.ioc_values ELSE ${merged('g.ioc_values', 'j.i', MAX_GROUP_IOCS)} END
       FROM n JOIN j ON j.g = n.group_id
       WHERE g.id = n.group_id
       RETURNING g.id, n.added`,
      [JSON.stringify(groups), sorted.flatMap((j) => j.alertIds), sorted.flatMap((j) => j.alertIds.map(() => j.groupId)), sorted.flatMap((j) => j.addedAt)],
    );
    return new Map(rows.map((r) => [r.id, r.added]));
  }

  // Raises each group to its severity, never lowers; one statement for all.
  async raiseSeverities(em: EntityManager, severities: ReadonlyMap<string, SocSeverity>): Promise<void> {
    if (!severities.size) return;
    const ids = [...severities.keys()].sort();
    await em.query(
      `UPDATE analysis.alert_group g SET severity = v.s
         FROM unnest($1::uuid[], $2::text[]) AS v(id, s)
        WHERE g.id = v.id AND (g.severity IS NULL OR array_position(${SEVERITY_RANK}, g.severity) < array_position(${SEVERITY_RANK}, v.s))`,
      [ids, ids.map((id) => severities.get(id))],
    );
  }

  // Raises, never lowers; one statement.
  async raiseSeverity(em: EntityManager, groupId: string, severity: SocSeverity): Promise<void> {
    await em.query(
      `UPDATE analysis.alert_group SET severity = $2
       WHERE id = $1 AND (severity IS NULL OR array_position(${SEVERITY_RANK}, severity) < array_position(${SEVERITY_RANK}, $2::text))`,
      [groupId, severity],
    );
  }

  // Newest first (by creation, which never changes, so pages stay stable as alerts join).
  async page(scope: TenantScope, filter: AlertGroupFilter, limit: number, after: string | undefined, now: Date, windowMs: number): Promise<AlertGroupEntity[]> {
    const openSince = new Date(now.getTime() - windowMs);
    const [cond, params] = this.directory.condition(scope, 'g.customer_id', 1);
    const where = [cond];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.customerId) add((p) => `g.customer_id = ${p}`, filter.customerId);
    if (filter.severity) add((p) => `g.severity = ${p}`, filter.severity);
    if (filter.status === 'OPEN') add((p) => `(g.status = 'OPEN' AND g.last_alert_at > ${p})`, openSince);
    if (filter.status === 'CLOSED') add((p) => `(g.status = 'CLOSED' OR g.last_alert_at <= ${p})`, openSince);
    if (filter.from) add((p) => `g.last_seen_at >= ${p}`, filter.from);
    if (filter.to) add((p) => `g.first_seen_at < ${p}`, filter.to);
    if (after) {
      const c = decodeCursor(after);
      params.push(c.sortKey, UUID.test(c.id) ? c.id : '00000000-0000-0000-0000-000000000000');
      where.push(`(g.created_at, g.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit);
    const rows: Row[] = await this.ds.query(`SELECT g.* FROM analysis.alert_group g WHERE ${where.join(' AND ')} ORDER BY g.created_at DESC, g.id DESC LIMIT $${params.length}`, params);
    return rows.map((r) => groupOf(r, now, windowMs));
  }

  // A malformed id matches nothing.
  async visibleByIds(em: EntityManager | DataSource, scope: TenantScope, ids: readonly string[], now: Date, windowMs: number): Promise<AlertGroupEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const [cond, params] = this.directory.condition(scope, 'g.customer_id', 2);
    const rows: Row[] = await em.query(`SELECT g.* FROM analysis.alert_group g WHERE g.id = ANY($1::uuid[]) AND ${cond}`, [valid, ...params]);
    return rows.map((r) => groupOf(r, now, windowMs));
  }

  // Closed by an analyst; a group that had already expired keeps the time it expired at.
  async close(em: EntityManager, id: string, by: string, now: Date, windowMs: number): Promise<void> {
    await em.query(
      `UPDATE analysis.alert_group SET status = 'CLOSED', closed_by = $2, closed_at = LEAST($3::timestamptz, last_alert_at + make_interval(secs => $4))
       WHERE id = $1 AND status = 'OPEN'`,
      [id, by, now, windowMs / 1000],
    );
  }

  // A page of a group's alerts, newest first, first + 1 rows.
  async members(groupId: string, limit: number, after?: { sortKey: string; id: string }): Promise<{ alertId: string; addedAt: Date }[]> {
    const params: unknown[] = [groupId];
    let sql = `SELECT alert_id, added_at FROM analysis.alert_group_member WHERE group_id = $1`;
    if (after) {
      params.push(after.sortKey, UUID.test(after.id) ? after.id : '00000000-0000-0000-0000-000000000000');
      sql += ` AND (added_at, alert_id) < ($2::timestamptz, $3::uuid)`;
    }
    params.push(limit);
    const rows: { alert_id: string; added_at: Date }[] = await this.ds.query(`${sql} ORDER BY added_at DESC, alert_id DESC LIMIT $${params.length}`, params);
    return rows.map((r) => ({ alertId: r.alert_id, addedAt: r.added_at }));
  }
}
