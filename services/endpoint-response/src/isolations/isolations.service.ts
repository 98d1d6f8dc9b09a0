import { Injectable } from '@nestjs/common';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { IsolationLogEntity } from './isolation-log.entity';
import { IsolationEntity } from './isolation.entity';
import { IsolationError } from './isolations.errors';
import { IsolationsArgs } from './isolations.args';
import { IsolationsPermissions } from './isolations.permissions';
import { IsolationsRepository, MAX_LISTED_ISOLATIONS, UnhealthyConnector } from './isolations.repository';

// Reads of isolations and their logs, scoped to the caller; the state machine writes them.
@Injectable()
export class IsolationsService {
  constructor(private readonly repo: IsolationsRepository) {}

  // Newest first. Never cut silently: past the limit the caller is asked to narrow the list.
  async list(principal: Principal, args: IsolationsArgs): Promise<IsolationEntity[]> {
    authorize(principal, IsolationsPermissions.readIsolations);
    const rows = await this.repo.visible(scopeOf(principal), args);
    if (rows.length > MAX_LISTED_ISOLATIONS) {
      throw new IsolationError('TOO_MANY_ISOLATIONS', `more than ${MAX_LISTED_ISOLATIONS} isolations match; narrow the list with customerId or active`, args.customerId ? 'active' : 'customerId');
    }
    return rows;
  }

  // Another tenant's isolation is absent from the map, so it reads as null like a missing one.
  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, IsolationEntity>> {
    authorize(principal, IsolationsPermissions.readIsolations);
    return new Map((await this.repo.visibleByIds(scopeOf(principal), ids)).map((i) => [i.id, i]));
  }

  // The logs of isolations the caller was given (already checked visible), oldest line first.
  async logsOf(principal: Principal, isolationIds: readonly string[]): Promise<Map<string, IsolationLogEntity[]>> {
    authorize(principal, IsolationsPermissions.readIsolations);
    const out = new Map<string, IsolationLogEntity[]>(isolationIds.map((id) => [id, []]));
    for (const l of await this.repo.logsOf(isolationIds)) out.get(l.isolationId)?.push(l);
    return out;
  }

  async unhealthyConnectors(principal: Principal): Promise<UnhealthyConnector[]> {
    authorize(principal, IsolationsPermissions.readConnectorHealth);
    return this.repo.unhealthyConnectors();
  }
}
