import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AlertRef } from '@kanshi/events';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { ConnectionShape, decodeCursor, pageOf, pageSize, PLATFORM_CONFIG } from '@kanshi/platform';
import { Clock } from '@kanshi/calendar';
import { AnalysisConfig } from '../config';
import { AlertGroupEntity } from './alert-group.entity';
import { AlertGroupFilter } from './alert-group-filter.input';
import { AlertGroupError } from './alert-groups.errors';
import { AlertGroupsPermissions } from './alert-groups.permissions';
import { AlertGroupsRepository } from './alert-groups.repository';

export interface AlertGroupMember {
  alert: AlertRef & { __typename: 'Alert' };
  addedAt: Date;
}

// Reading and closing alert groups through the API; AlertGrouper fills them.
@Injectable()
export class AlertGroupsService {
  private readonly windowMs: number;

  constructor(
    private readonly ds: DataSource,
    private readonly repo: AlertGroupsRepository,
    private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) config: Pick<AnalysisConfig, 'ALERT_GROUP_WINDOW_MINUTES'>,
  ) {
    this.windowMs = config.ALERT_GROUP_WINDOW_MINUTES * 60_000;
  }

  async page(principal: Principal, filter: AlertGroupFilter = {}, first?: number, after?: string): Promise<ConnectionShape<AlertGroupEntity>> {
    authorize(principal, AlertGroupsPermissions.readAlertGroups);
    const size = pageSize({ first });
    const rows = await this.repo.page(scopeOf(principal), filter, size + 1, after, this.clock.now(), this.windowMs);
    return pageOf(rows, size, (g) => ({ sortKey: g.createdAt.toISOString(), id: g.id }));
  }

  // Another tenant's group is absent from the map, so it reads as null like a missing one.
  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, AlertGroupEntity>> {
    authorize(principal, AlertGroupsPermissions.readAlertGroups);
    const rows = await this.repo.visibleByIds(this.ds, scopeOf(principal), ids, this.clock.now(), this.windowMs);
    return new Map(rows.map((g) => [g.id, g]));
  }

  // The group's alerts, newest first, as references ingestion resolves (with its tenant rules).
  // The caller already read the group, so it may see it.
  async members(group: AlertGroupEntity, first?: number, after?: string): Promise<ConnectionShape<AlertGroupMember>> {
    const size = pageSize({ first });
    const rows = await this.repo.members(group.id, size + 1, after ? decodeCursor(after) : undefined);
    const members = rows.map((r) => ({ alert: { __typename: 'Alert' as const, id: r.alertId }, addedAt: r.addedAt }));
    return pageOf(members, size, (m) => ({ sortKey: m.addedAt.toISOString(), id: m.alert.id }));
  }

  // An analyst closes a group: the next related alert starts a new one.
  async close(principal: Principal, id: string): Promise<AlertGroupEntity> {
    authorize(principal, AlertGroupsPermissions.closeAlertGroups);
    const scope = scopeOf(principal);
    return this.ds.transaction(async (em) => {
      const [group] = await this.repo.visibleByIds(em, scope, [id], this.clock.now(), this.windowMs);
      if (!group) throw new AlertGroupError('ALERT_GROUP_NOT_FOUND', `alert group ${id} not found`, 'id');
      await this.repo.close(em, group.id, principal.subject, this.clock.now(), this.windowMs);
      return (await this.repo.visibleByIds(em, scope, [id], this.clock.now(), this.windowMs))[0];
    });
  }
}
