import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SocSeverity } from '@kanshi/events';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { Clock } from '@kanshi/calendar';
import { AnalysisConfig } from '../config';
import { AlertGroupInput, CandidateGroup, chooseGroup, GroupAssignment, hostIdsOf, iocValuesOf, lockKeysOf, MAX_GROUP_HOSTS, MAX_GROUP_IOCS, MAX_GROUP_RULE_KEYS, titleOf } from './alert-grouping';
import { CANDIDATE_LIMIT, GroupJoins } from './alert-groups.repository';
import { AlertGroupsRepository } from './alert-groups.repository';

// Puts alerts into groups inside the caller's transaction (the verdict consumer's, per alert or
// per batch). Two replicas assigning related alerts at once must not open two groups: each
// assignment first takes transaction-scoped advisory locks on every key it could group by
// (customer + vendor key, + each host, + each IOC value), so related assignments take turns and
// the second sees the first's group. A unique index could not do this: an alert may join through
// any of several keys, a group holds many hosts and IOCs, and whether a group is still open
// depends on the clock, which no index predicate can read.
@Injectable()
export class AlertGrouper {
  private readonly windowMs: number;

  constructor(
    private readonly repo: AlertGroupsRepository,
    private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) config: Pick<AnalysisConfig, 'ALERT_GROUP_WINDOW_MINUTES'>,
  ) {
    this.windowMs = config.ALERT_GROUP_WINDOW_MINUTES * 60_000;
  }

  // The alert's group; the same alert again (redelivery) answers its group, counted once.
  async assign(tx: EntityManager, input: AlertGroupInput): Promise<GroupAssignment> {
    return (await this.assignMany(tx, [input]))[0];
  }

  // A batch in one transaction: every lock of the batch is taken at once, in one order, so two
  // batches sharing hosts cannot deadlock; then one read and one write per alert not yet grouped.
  // Answers in the order of `inputs`; a later alert of the batch sees the groups of earlier ones.
  // With more than one alert, the joins are written at the end in one statement (the members
  // inserted, each group's count, times and lists merged): a busy group is not rewritten for every
  // alert, nor is a statement sent per group. Until then the batch's own joins are laid over what the database
  // answers, so a later alert chooses exactly as if they had been written.
  async assignMany(tx: EntityManager, inputs: AlertGroupInput[]): Promise<GroupAssignment[]> {
    if (!inputs.length) return [];
    await this.repo.lock(tx, inputs.flatMap(lockKeysOf));
    const known = await this.repo.memberships(
      tx,
      inputs.map((i) => i.alertId),
    );
    const out: GroupAssignment[] = [];
    let batch: PendingJoins | null = null;
    if (inputs.length > 1) {
      // one read of every group the batch's alerts could join, instead of one per alert
      const fresh = inputs.filter((i) => !known.has(i.alertId));
      const open = await this.repo.openGroupsFor(tx, {
        customerIds: [...new Set(fresh.map((i) => i.customerId))],
        openSince: new Date(this.clock.now().getTime() - this.windowMs),
        vendorGroupKeys: [...new Set(fresh.map((i) => i.vendorGroupKey || null).filter((k): k is string => k !== null))],
        hosts: [...new Set(fresh.flatMap(hostIdsOf))],
        iocValues: [...new Set(fresh.flatMap(iocValuesOf))],
      });
      batch = new PendingJoins();
      for (const { customerId, ...g } of open) batch.created(customerId, g);
    }
    for (const input of inputs) {
      const existing = known.get(input.alertId);
      if (existing) {
        out.push({ groupId: existing, isNew: false, joinedBy: 'ALREADY_MEMBER' });
        continue;
      }
      const assignment = batch ? await this.assignPending(tx, input, batch) : await this.assignOne(tx, input);
      known.set(input.alertId, assignment.groupId);
      out.push(assignment);
    }
    if (batch) {
      const added = await this.repo.joinAll(tx, [...batch.joins.values()]);
      for (const j of batch.joins.values()) if ((added.get(j.groupId) ?? 0) !== j.alertIds.length) throw new Error(`alerts of group ${j.groupId} were grouped outside the batch's locks`);
    }
    return out;
  }

  // The verdict side records the group's highest severity; a lower one never lowers it.
  raiseSeverity(tx: EntityManager, groupId: string, severity: SocSeverity): Promise<void> {
    return this.repo.raiseSeverity(tx, groupId, severity);
  }

  // raiseSeverity for many groups (a batch's), in one statement.
  raiseSeverities(tx: EntityManager, severities: ReadonlyMap<string, SocSeverity>): Promise<void> {
    return this.repo.raiseSeverities(tx, severities);
  }

  private async assignPending(tx: EntityManager, input: AlertGroupInput, batch: PendingJoins): Promise<GroupAssignment> {
    const now = this.clock.now();
    const hosts = hostIdsOf(input);
    const iocValues = iocValuesOf(input);
    const vendorGroupKey = input.vendorGroupKey || null;
    const ruleKeys = input.ruleKey ? [input.ruleKey] : [];
    const q = { customerId: input.customerId, openSince: new Date(now.getTime() - this.windowMs), vendorGroupKey, ruleKey: input.ruleKey, hosts, iocValues };
    const candidates = batch.overlay(input.customerId, q, []);
    const chosen = chooseGroup(input, candidates, now, this.windowMs);
    const values = { alertId: input.alertId, vendorGroupKey, ruleKeys, hosts, iocValues, occurredAt: input.occurredAt, now };
    if (chosen) {
      batch.join(input.customerId, chosen.group, values);
      return { groupId: chosen.group.id, isNew: false, joinedBy: chosen.joinedBy };
    }
    const groupId = await this.repo.create(tx, { ...values, customerId: input.customerId, title: titleOf(input) });
    batch.created(input.customerId, { id: groupId, vendorGroupKey, ruleKeys: ruleKeys.slice(0, MAX_GROUP_RULE_KEYS), hosts: hosts.slice(0, MAX_GROUP_HOSTS), iocValues: iocValues.slice(0, MAX_GROUP_IOCS), firstSeenAt: input.occurredAt, lastSeenAt: input.occurredAt, lastAlertAt: now });
    return { groupId, isNew: true, joinedBy: 'NEW' };
  }

  private async assignOne(tx: EntityManager, input: AlertGroupInput): Promise<GroupAssignment> {
    const now = this.clock.now();
    const hosts = hostIdsOf(input);
    const iocValues = iocValuesOf(input);
    const vendorGroupKey = input.vendorGroupKey || null;
    const ruleKeys = input.ruleKey ? [input.ruleKey] : [];
    const candidates = await this.repo.candidates(tx, { customerId: input.customerId, openSince: new Date(now.getTime() - this.windowMs), vendorGroupKey, ruleKey: input.ruleKey, hosts, iocValues });
    const chosen = chooseGroup(input, candidates, now, this.windowMs);
    const values = { alertId: input.alertId, vendorGroupKey, ruleKeys, hosts, iocValues, occurredAt: input.occurredAt, now };
    if (chosen && (await this.repo.join(tx, { ...values, groupId: chosen.group.id }))) return { groupId: chosen.group.id, isNew: false, joinedBy: chosen.joinedBy };
    if (chosen) {
      // Under the alert's own lock this cannot happen unless a caller grouped it outside the
      // lock; its membership is the answer.
      const again = (await this.repo.memberships(tx, [input.alertId])).get(input.alertId);
      if (again) return { groupId: again, isNew: false, joinedBy: 'ALREADY_MEMBER' };
    }
    const groupId = await this.repo.create(tx, { ...values, customerId: input.customerId, title: titleOf(input) });
    return { groupId, isNew: true, joinedBy: 'NEW' };
  }
}

// The values of `added` a list of at most `max` (first seen first, no duplicates: what the
// repository's merge keeps) would take in: none once it is full. A batch sends only these, so a
// group whose lists do not change is not merged again, and its lists are not copied here.
function newValues(list: readonly string[], added: readonly string[], max: number): string[] {
  const out: string[] = [];
  for (const v of added) {
    if (list.length + out.length >= max) break;
    if (!list.includes(v) && !out.includes(v)) out.push(v);
  }
  return out;
}

// The joins of one batch not written yet, and the open groups the batch may join (read once at its
// start, plus those it created) as they will be once the joins are written.
class PendingJoins {
  readonly joins = new Map<string, GroupJoins>();
  private readonly groups = new Map<string, { customerId: string; group: CandidateGroup }>();

  // A group the batch may join: read at its start, or created by it.
  created(customerId: string, group: CandidateGroup): void {
    this.groups.set(group.id, { customerId, group });
  }

  join(customerId: string, group: CandidateGroup, v: { alertId: string; vendorGroupKey: string | null; ruleKeys: string[]; hosts: string[]; iocValues: string[]; occurredAt: Date; now: Date }): void {
    const j = this.joins.get(group.id) ?? { groupId: group.id, alertIds: [], addedAt: [], vendorGroupKey: null, ruleKeys: [], hosts: [], iocValues: [], firstSeenAt: v.occurredAt, lastSeenAt: v.occurredAt, lastAlertAt: v.now };
    j.alertIds.push(v.alertId);
    j.addedAt.push(v.now);
    j.vendorGroupKey ??= v.vendorGroupKey;
    const g = group;
    const ruleKeys = newValues(g.ruleKeys, v.ruleKeys, MAX_GROUP_RULE_KEYS);
    const hosts = newValues(g.hosts, v.hosts, MAX_GROUP_HOSTS);
    const iocValues = newValues(g.iocValues, v.iocValues, MAX_GROUP_IOCS);
    j.ruleKeys.push(...ruleKeys);
    j.hosts.push(...hosts);
    j.iocValues.push(...iocValues);
    if (v.occurredAt < j.firstSeenAt) j.firstSeenAt = v.occurredAt;
    if (v.occurredAt > j.lastSeenAt) j.lastSeenAt = v.occurredAt;
    if (v.now > j.lastAlertAt) j.lastAlertAt = v.now;
    this.joins.set(group.id, j);
    this.groups.set(g.id, {
      customerId,
      group: {
        id: g.id,
        vendorGroupKey: g.vendorGroupKey ?? v.vendorGroupKey,
        ruleKeys: ruleKeys.length ? g.ruleKeys.concat(ruleKeys) : g.ruleKeys,
        hosts: hosts.length ? g.hosts.concat(hosts) : g.hosts,
        iocValues: iocValues.length ? g.iocValues.concat(iocValues) : g.iocValues,
        firstSeenAt: v.occurredAt < g.firstSeenAt ? v.occurredAt : g.firstSeenAt,
        lastSeenAt: v.occurredAt > g.lastSeenAt ? v.occurredAt : g.lastSeenAt,
        lastAlertAt: v.now > g.lastAlertAt ? v.now : g.lastAlertAt,
      },
    });
  }

  // What the repository's candidates() would answer now (its filter, order and number), from the
  // groups read at the batch's start as the batch has changed them, plus `found`.
  overlay(customerId: string, q: { openSince: Date; vendorGroupKey: string | null; ruleKey: string | null; hosts: string[]; iocValues: string[] }, found: CandidateGroup[]): CandidateGroup[] {
    if (!this.groups.size) return found.slice(0, CANDIDATE_LIMIT);
    const byId = new Map(found.map((g) => [g.id, g]));
    for (const [id, { customerId: c, group }] of this.groups) {
      if (c !== customerId) continue;
      const matches =
        group.lastAlertAt > q.openSince &&
        ((q.vendorGroupKey !== null && group.vendorGroupKey === q.vendorGroupKey) || group.hosts.some((h) => q.hosts.includes(h)) || group.iocValues.some((v) => q.iocValues.includes(v)));
      if (matches || byId.has(id)) byId.set(id, group);
    }
    const rank = (g: CandidateGroup): [number, number, number] => [g.vendorGroupKey === q.vendorGroupKey ? 1 : 0, q.ruleKey !== null && g.ruleKeys.includes(q.ruleKey) ? 1 : 0, g.lastAlertAt.getTime()];
    return [...byId.values()]
      .sort((a, b) => {
        const [x, y] = [rank(a), rank(b)];
        return y[0] - x[0] || y[1] - x[1] || y[2] - x[2] || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
      })
      .slice(0, CANDIDATE_LIMIT);
  }
}
