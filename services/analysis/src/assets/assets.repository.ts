import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';

export interface CriticalAssetRow {
  id: string;
  customerId: string;
  hostName: string | null;
  ip: string | null;
  note: string;
  createdBy: string;
  createdAt: Date;
}

export interface AssetBinding {
  hostName: string;
  ip: string;
  endpointId: string;
}

type Raw = { id: string; customer_id: string; host_name: string | null; ip: string | null; note: string; created_by: string; created_at: Date };
const toRow = (r: Raw): CriticalAssetRow => ({ id: r.id, customerId: r.customer_id, hostName: r.host_name, ip: r.ip, note: r.note, createdBy: r.created_by, createdAt: r.created_at });

@Injectable()
export class AssetsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // One binding per host name and IP; the endpoint id and last-seen time follow the newest alert.
  async upsertBinding(tx: EntityManager, customerId: string, b: AssetBinding, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO analysis.asset_binding (customer_id, host_name, ip, endpoint_id, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (customer_id, host_name, ip) DO UPDATE SET
         endpoint_id = CASE WHEN EXCLUDED.endpoint_id <> '' THEN EXCLUDED.endpoint_id ELSE analysis.asset_binding.endpoint_id END,
         last_seen_at = GREATEST(analysis.asset_binding.last_seen_at, EXCLUDED.last_seen_at)`,
      [customerId, b.hostName, b.ip, b.endpointId, at],
    );
  }

  // The host name most recently seen with an IP address.
  async hostNameOfIp(customerId: string, ip: string): Promise<string | null> {
    const rows: { host_name: string }[] = await this.ds.query(
      `SELECT host_name FROM analysis.asset_binding WHERE customer_id = $1 AND ip = $2 AND host_name <> '' ORDER BY last_seen_at DESC LIMIT 1`,
      [customerId, ip],
    );
    return rows[0]?.host_name ?? null;
  }

  async allCritical(): Promise<CriticalAssetRow[]> {
    const rows: Raw[] = await this.ds.query(`SELECT * FROM analysis.critical_asset`);
    return rows.map(toRow);
  }

  async listCritical(scope: TenantScope, customerId: string | undefined): Promise<CriticalAssetRow[]> {
    const [cond, params] = this.directory.condition(scope, 'customer_id', 1);
    const all = [...params];
    let where = cond;
    if (customerId) {
      all.push(customerId);
      where += ` AND customer_id::text = $${all.length}`;
    }
    const rows: Raw[] = await this.ds.query(`SELECT * FROM analysis.critical_asset WHERE ${where} ORDER BY created_at, id LIMIT 1001`, all);
    return rows.map(toRow);
  }

  // null when the same asset is already marked.
  async insertCritical(v: Omit<CriticalAssetRow, 'id' | 'createdAt'>): Promise<CriticalAssetRow | null> {
    const rows: Raw[] = await this.ds.query(
      `INSERT INTO analysis.critical_asset (customer_id, host_name, ip, note, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (customer_id, coalesce(host_name, ''), coalesce(ip, '')) DO NOTHING RETURNING *`,
      [v.customerId, v.hostName, v.ip, v.note, v.createdBy],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }
}
