import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import type { AddressBindingKindCode, AddressBindingStatusCode } from './address-binding-kinds';
import type { AddressBindingRequestObject } from './address-binding-request.object';

interface Row {
  id: string;
  sensor_id: string;
  customer_id: string;
  kind: AddressBindingKindCode;
  address: string;
  status: AddressBindingStatusCode;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
}

function toObject(r: Row): AddressBindingRequestObject {
  return {
    id: r.id,
    sensorId: r.sensor_id,
    customerId: r.customer_id,
    kind: r.kind,
    address: r.address,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by ?? undefined,
    decidedAt: r.decided_at ?? undefined,
    note: r.note ?? undefined,
  };
}

@Injectable()
export class AddressBindingsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // A pending request for the same address and sensor is answered as it is (asked twice, one request).
  async insertPending(em: EntityManager, r: { sensorId: string; customerId: string; kind: AddressBindingKindCode; address: string; requestedBy: string }): Promise<AddressBindingRequestObject> {
    const rows: Row[] = await em.query(
      `INSERT INTO ingestion.address_binding_request (sensor_id, customer_id, kind, address, requested_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sensor_id, kind, address) WHERE status = 'PENDING' DO UPDATE SET requested_at = ingestion.address_binding_request.requested_at
       RETURNING *`,
      [r.sensorId, r.customerId, r.kind, r.address, r.requestedBy],
    );
    return toObject(rows[0]);
  }

  async list(scope: TenantScope, status: AddressBindingStatusCode | undefined, limit: number): Promise<AddressBindingRequestObject[]> {
    const [scopeSql, params] = this.directory.condition(scope, 'customer_id', 1);
    const where = [scopeSql];
    const all: unknown[] = [...params];
    if (status) where.push(`status = $${all.push(status)}`);
    const rows: Row[] = await this.ds.query(`SELECT * FROM ingestion.address_binding_request WHERE ${where.join(' AND ')} ORDER BY requested_at DESC, id LIMIT $${all.push(limit)}`, all);
    return rows.map(toObject);
  }

  async findForUpdate(em: EntityManager, id: string): Promise<AddressBindingRequestObject | null> {
    const rows: Row[] = await em.query(`SELECT * FROM ingestion.address_binding_request WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toObject(rows[0]) : null;
  }

  async decide(em: EntityManager, id: string, status: 'APPROVED' | 'REJECTED', decidedBy: string, note: string | null): Promise<AddressBindingRequestObject> {
    // TypeORM answers an UPDATE with [rows, affected count]
    const [rows]: [Row[], number] = await em.query(
      `UPDATE ingestion.address_binding_request SET status = $2, decided_by = $3, decided_at = now(), note = $4 WHERE id = $1 RETURNING *`,
      [id, status, decidedBy, note],
    );
    return toObject(rows[0]);
  }
}
