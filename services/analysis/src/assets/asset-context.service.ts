import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AlertEndpoint } from '../verdicts/alert-facts';
import { AssetsRepository, CriticalAssetRow } from './assets.repository';

const CRITICAL_TTL_MS = 5_000;
const SEEN_MAX = 50_000;
const IP_NAME_TTL_MS = 60_000;

export interface AssetContext {
  // The alert's endpoints, a missing host name filled in from what earlier alerts said of its IP.
  endpoints: { hostName: string | null; ip: string | null }[];
  // The customer's critical assets among them.
  critical: CriticalAssetRow[];
}

// What analysis knows of a customer's endpoints: host name <-> IP <-> endpoint id, learned from
// alerts' ECS, and which are critical. Writes only what changed (a process-wide memory of the
// bindings already stored), so a busy sensor costs no write per alert.
// Hook for endpoint-response (issue 12): its endpoint events carry the same bindings; its consumer
// calls `learn(tx, customerId, endpoints, at)` here.
@Injectable()
export class AssetContextService {
  private readonly seen = new Map<string, number>();
  private readonly ipNames = new Map<string, { name: string | null; at: number }>();
  private critical: { rows: Map<string, CriticalAssetRow[]>; at: number } | null = null;

  constructor(private readonly repo: AssetsRepository) {}

  async learn(tx: EntityManager, customerId: string, endpoints: AlertEndpoint[], at: Date): Promise<void> {
    for (const e of endpoints) {
      const binding = { hostName: e.hostName?.toLowerCase() ?? '', ip: e.ip ?? '', endpointId: e.endpointId ?? '' };
      if (!binding.hostName && !binding.endpointId) continue; // an IP alone binds nothing
      const key = `${customerId}|${binding.hostName}|${binding.ip}|${binding.endpointId}`;
      // Last-seen times are kept to the hour: a host seen all day is written once an hour.
      const hour = Math.floor(at.getTime() / 3_600_000);
      if (this.seen.get(key) === hour) continue;
      await this.repo.upsertBinding(tx, customerId, binding, at);
      if (this.seen.size >= SEEN_MAX) this.seen.delete(this.seen.keys().next().value!);
      this.seen.set(key, hour);
      if (binding.hostName && binding.ip) this.ipNames.set(`${customerId}|${binding.ip}`, { name: binding.hostName, at: Date.now() });
    }
  }

  async contextOf(customerId: string, endpoints: AlertEndpoint[]): Promise<AssetContext> {
    const filled: AssetContext['endpoints'] = [];
    for (const e of endpoints) filled.push({ hostName: e.hostName ?? (e.ip ? await this.hostNameOfIp(customerId, e.ip) : null), ip: e.ip });
    const assets = (await this.criticalAssets()).get(customerId) ?? [];
    const critical = assets.filter((a) => filled.some((e) => (a.hostName !== null && a.hostName === e.hostName) || (a.ip !== null && a.ip === e.ip)));
    return { endpoints: filled, critical };
  }

  // A critical asset was marked in this process: the next alert sees it at once.
  invalidate(): void {
    this.critical = null;
  }

  private async hostNameOfIp(customerId: string, ip: string): Promise<string | null> {
    const key = `${customerId}|${ip}`;
    const hit = this.ipNames.get(key);
    if (hit && Date.now() - hit.at < IP_NAME_TTL_MS) return hit.name;
    const name = await this.repo.hostNameOfIp(customerId, ip);
    if (this.ipNames.size >= SEEN_MAX) this.ipNames.delete(this.ipNames.keys().next().value!);
    this.ipNames.set(key, { name, at: Date.now() });
    return name;
  }

  private async criticalAssets(): Promise<Map<string, CriticalAssetRow[]>> {
    if (!this.critical || Date.now() - this.critical.at > CRITICAL_TTL_MS) {
      const rows = new Map<string, CriticalAssetRow[]>();
      for (const r of await this.repo.allCritical()) rows.set(r.customerId, [...(rows.get(r.customerId) ?? []), r]);
      this.critical = { rows, at: Date.now() };
    }
    return this.critical.rows;
  }
}
