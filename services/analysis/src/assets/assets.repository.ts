import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { EdrProductCode, EndpointChangedBody } from '@kanshi/events';

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

// One endpoint of endpoint-response's inventory (response.endpoint.changed.v1, latest version).
export interface InventoryEndpoint {
  endpointId: string;
  customerId: string;
  version: number;
  hostName: string;
  ips: string[];
  os: string | null;
  edrProduct: EdrProductCode | null;
  agentId: string | null;
  lastSeenAt: Date | null;
  isolated: boolean;
}

// What an alert says of one endpoint, to look it up in the inventory.
export interface InventoryProbe {
  hostName: string | null;
  ip: string | null;
  agentId: string | null;
}

type InventoryRaw = {
  endpoint_id: string;
  customer_id: string;
  version: number;
  host_name: string;
  ips: string[];
  os: string | null;
  edr_product: EdrProductCode | null;
  agent_id: string | null;
  last_seen_at: Date | null;
  isolated: boolean;
};
const toInventory = (r: InventoryRaw): InventoryEndpoint => ({
  endpointId: r.endpoint_id,
  customerId: r.customer_id,
  version: r.version,
  hostName: r.host_name,
  ips: r.ips,
  os: r.os,
  edrProduct: r.edr_product,
  agentId: r.agent_id,
  lastSeenAt: r.last_seen_at,
  isolated: r.isolated,
});

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

  // The latest version of an inventory endpoint wins; an older or repeated one changes nothing.
  // An endpoint never moves to another customer: an event naming another customer is ignored.
  async upsertInventoryEndpoint(tx: EntityManager, customerId: string, b: EndpointChangedBody): Promise<void> {
    await tx.query(
      `INSERT INTO analysis.inventory_endpoint (endpoint_id, customer_id, version, host_name, ips, os, edr_product, agent_id, last_seen_at, isolated, retired)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (endpoint_id) DO UPDATE SET
         version = EXCLUDED.version, host_name = EXCLUDED.host_name, ips = EXCLUDED.ips, os = EXCLUDED.os, edr_product = EXCLUDED.edr_product,
         agent_id = EXCLUDED.agent_id, last_seen_at = EXCLUDED.last_seen_at, isolated = EXCLUDED.isolated, retired = EXCLUDED.retired, updated_at = now()
       WHERE analysis.inventory_endpoint.version < EXCLUDED.version AND analysis.inventory_endpoint.customer_id = EXCLUDED.customer_id`,
      [b.endpointId, customerId, b.version, b.hostName, b.ips, b.os ?? null, b.edrProduct ?? null, b.agentId ?? null, b.lastSeenAt ?? null, b.isolated, b.retired],
    );
  }

  // The customer's managed (not retired) endpoints the probe names: by agent id, host name (case
  // insensitive; a short name matches the full one's first label and the other way round) or IP.
  async inventoryCandidates(customerId: string, p: InventoryProbe): Promise<{ endpoint: InventoryEndpoint; byAgent: boolean; byHost: boolean; byIp: boolean }[]> {
    const host = p.hostName?.toLowerCase() || null;
    const rows: (InventoryRaw & { by_agent: boolean; by_host: boolean; by_ip: boolean })[] = await this.ds.query(
      `SELECT * FROM (
         SELECT endpoint_id, customer_id, version, host_name, ips, os, edr_product, agent_id, last_seen_at, isolated,
           coalesce(agent_id = $2, false) AS by_agent,
           coalesce(lower(host_name) = $3 OR split_part(lower(host_name), '.', 1) = $3 OR lower(host_name) = split_part($3, '.', 1), false) AS by_host,
           coalesce(ips @> ARRAY[$4::text], false) AS by_ip
         FROM analysis.inventory_endpoint
         WHERE customer_id = $1 AND NOT retired
           AND (agent_id = $2 OR lower(host_name) = $3 OR split_part(lower(host_name), '.', 1) = $3 OR lower(host_name) = split_part($3, '.', 1) OR ips @> ARRAY[$4::text])
       ) m ORDER BY last_seen_at DESC NULLS LAST, version DESC LIMIT 20`,
      [customerId, p.agentId, host, p.ip],
    );
    return rows.map((r) => ({ endpoint: toInventory(r), byAgent: r.by_agent, byHost: r.by_host, byIp: r.by_ip }));
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
