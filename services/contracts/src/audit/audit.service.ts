import { Injectable } from '@nestjs/common';
import { authorize, Principal } from '@kanshi/auth';
import { ConnectionShape, decodeCursor, pageOf } from '@kanshi/platform';
import { ContractsError } from '../contracts.errors';
import { AuditTrailArgs } from './audit-trail.args';
import { AuditPermissions } from './audit.permissions';
import { AuditEntryRow, AuditRepository, DataPurgeRow } from './audit.repository';
import { DataPurgesArgs } from './data-purges.args';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkCursor(after: string | undefined, idOk: (id: string) => boolean): void {
  if (after === undefined || after === null) return;
  const c = decodeCursor(after);
  if (Number.isNaN(Date.parse(c.sortKey)) || !idOk(c.id)) throw new ContractsError('BAD_INPUT', 'after: not a cursor returned by this API', 'after');
}

@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  // Newest first. The provider's administrators see every entry; a customer's administrator only
  // entries about its own customer, and in them no other customer's id.
  async trail(principal: Principal, args: AuditTrailArgs): Promise<ConnectionShape<AuditEntryRow>> {
    authorize(principal, AuditPermissions.readAuditTrail);
    const first = args.first ?? 50;
    checkCursor(args.after, (id) => UUID.test(id));
    const f = args.filter ?? {};
    const own = principal.isCustomer ? principal.customerId! : undefined;
    const rows = await this.repo.page({ onlyCustomerId: own, customerId: f.customerId, actorId: f.actorId, service: f.service, from: f.from, to: f.to }, first + 1, args.after);
    const shown = own ? rows.map((r) => ({ ...r, customerIds: r.customerIds.filter((id) => id === own) })) : rows;
    return pageOf(shown, first, (r) => ({ sortKey: new Date(r.at).toISOString(), id: r.id }));
  }

  async purges(principal: Principal, args: DataPurgesArgs): Promise<ConnectionShape<DataPurgeRow>> {
    authorize(principal, AuditPermissions.readDataPurges);
    const first = args.first ?? 50;
    checkCursor(args.after, (id) => /^[0-9a-f-]{36}\/[a-z-]{1,40}$/i.test(id) && UUID.test(id.split('/')[0]));
    const rows = await this.repo.purges(args.customerId, first + 1, args.after);
    return pageOf(rows, first, (r) => ({ sortKey: new Date(r.purgedAt).toISOString(), id: `${r.purgeId}/${r.service}` }));
  }
}
