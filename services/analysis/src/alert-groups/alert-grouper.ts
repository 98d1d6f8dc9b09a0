import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SocSeverity } from '@kanshi/events';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { Clock } from '@kanshi/calendar';
import { AnalysisConfig } from '../config';
import { AlertGroupInput, chooseGroup, GroupAssignment, hostIdsOf, iocValuesOf, lockKeysOf, titleOf } from './alert-grouping';
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
  async assignMany(tx: EntityManager, inputs: AlertGroupInput[]): Promise<GroupAssignment[]> {
    if (!inputs.length) return [];
    await this.repo.lock(tx, inputs.flatMap(lockKeysOf));
    const known = await this.repo.memberships(
      tx,
      inputs.map((i) => i.alertId),
    );
    const out: GroupAssignment[] = [];
    for (const input of inputs) {
      const existing = known.get(input.alertId);
      if (existing) {
        out.push({ groupId: existing, isNew: false, joinedBy: 'ALREADY_MEMBER' });
        continue;
      }
      const assignment = await this.assignOne(tx, input);
      known.set(input.alertId, assignment.groupId);
      out.push(assignment);
    }
    return out;
  }

  // The verdict side records the group's highest severity; a lower one never lowers it.
  raiseSeverity(tx: EntityManager, groupId: string, severity: SocSeverity): Promise<void> {
    return this.repo.raiseSeverity(tx, groupId, severity);
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
