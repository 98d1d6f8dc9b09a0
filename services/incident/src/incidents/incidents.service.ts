import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal, scopeOf } from '@kanshi/auth';
import { IncidentOpened } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { canSeeCustomerId, ConnectionShape, pageOf, TenantDirectory } from '@kanshi/platform';
import { IncidentEntity } from './incident.entity';
import { IncidentError, IncidentErrorCode } from './incident.errors';
import { IncidentFilter, OpenIncidentInput } from './incident.input';
import { IncidentsRepository } from './incidents.repository';

@Injectable()
export class IncidentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: IncidentsRepository,
    private readonly directory: TenantDirectory,
    private readonly outbox: Outbox,
  ) {}

  async page(principal: Principal, filter: IncidentFilter = {}, first = 50, after?: string): Promise<ConnectionShape<IncidentEntity>> {
    const rows = await this.repo.page(scopeOf(principal), filter, first + 1, after);
    return pageOf(rows, first, (i) => ({ sortKey: i.createdAt.toISOString(), id: i.id }));
  }

  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, IncidentEntity>> {
    const rows = await this.repo.visibleByIds(scopeOf(principal), ids);
    return new Map(rows.map((i) => [i.id, i]));
  }

  // Analysts open incidents by hand too: a phone call from the customer, a finding in a log search.
  async open(principal: Principal, input: OpenIncidentInput): Promise<IncidentEntity> {
    if (!principal.hasRole('provider_admin', 'analyst', 'engineer')) throw new IncidentError(IncidentErrorCode.FORBIDDEN, `role ${principal.role} may not open incidents`);
    const known = await this.directory.lookup(input.customerId);
    if (!known || !(await canSeeCustomerId(this.directory, scopeOf(principal), input.customerId))) {
      throw new IncidentError(IncidentErrorCode.CUSTOMER_NOT_FOUND, `customer ${input.customerId} not found`, 'customerId');
    }
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
