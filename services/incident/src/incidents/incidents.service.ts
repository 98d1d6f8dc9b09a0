import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { IncidentOpened } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { ConnectionShape, pageOf, TenantDirectory } from '@kanshi/platform';
import { IncidentEntity } from './incident.entity';
import { IncidentFilter } from './incident-filter.input';
import { IncidentsPermissions } from './incidents.permissions';
import { IncidentsRepository } from './incidents.repository';
import { OpenIncidentInput } from './open-incident.input';

@Injectable()
export class IncidentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: IncidentsRepository,
    private readonly directory: TenantDirectory,
    private readonly outbox: Outbox,
  ) {}

  // The caller's incidents, newest first; another tenant's never appear, even when filtered for.
  async page(principal: Principal, filter: IncidentFilter = {}, first = 50, after?: string): Promise<ConnectionShape<IncidentEntity>> {
    authorize(principal, IncidentsPermissions.readIncidents);
    const rows = await this.repo.page(scopeOf(principal), filter, first + 1, after);
    return pageOf(rows, first, (i) => ({ sortKey: i.createdAt.toISOString(), id: i.id }));
  }

  // Another tenant's incident is absent from the map, so it reads as null like a missing one.
  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, IncidentEntity>> {
    authorize(principal, IncidentsPermissions.readIncidents);
    const rows = await this.repo.visibleByIds(scopeOf(principal), ids);
    return new Map(rows.map((i) => [i.id, i]));
  }

  // Analysts open incidents by hand too: a phone call from the customer, a finding in a log search.
  async open(principal: Principal, input: OpenIncidentInput): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.openIncidents);
    await this.directory.visibleCustomerOrThrow(principal, input.customerId);
    return this.ds.transaction(async (em) => {
      const incident = await this.repo.insert(em, {
        customerId: input.customerId,
        severity: input.severity,
        title: input.title,
        description: input.description ?? '',
        openedBy: principal.subject,
      });
      await this.outbox.add(
        em,
        IncidentOpened,
        { incidentId: incident.id, severity: incident.severity, status: incident.status, title: incident.title },
        { customerId: incident.customerId },
      );
      return incident;
    });
  }
}
