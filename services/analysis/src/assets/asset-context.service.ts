import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { EndpointChangedBody } from '@kanshi/events';
import { AlertEndpoint } from '../verdicts/alert-facts';
import { AssetsRepository, CriticalAssetRow, InventoryEndpoint } from './assets.repository';

const CRITICAL_TTL_MS = 5_000;
const SEEN_MAX = 50_000;
const IP_NAME_TTL_MS = 60_000;
const INVENTORY_TTL_MS = 60_000;

export interface ContextEndpoint {
  hostName: string | null;
  ip: string | null;
  // The inventory endpoint it resolved to, and its EDR agent id; absent when the inventory has none.
  endpointId?: string;
  agentId?: string;
}

export interface AssetContext {
  // The alert's endpoints: resolved against endpoint-response's inventory (a missing host name
  // filled in, the endpoint id added), else a missing host name filled in from what earlier alerts
  // said of its IP.
  endpoints: ContextEndpoint[];
  // The customer's critical assets among them.
  critical: CriticalAssetRow[];
  // The inventory endpoints they resolved to (each once).
  managed: InventoryEndpoint[];
}

// What analysis knows of a customer's endpoints: endpoint-response's inventory (host name <-> IPs
// <-> endpoint id, OS, EDR agent, last seen: `remember`, from response.endpoint.changed.v1), the
// host name <-> IP bindings learned from alerts' ECS (`learn`), and which are critical. Alert
// bindings are written only when changed (a process-wide memory of the bindings already stored),
// so a busy sensor costs no write per alert. A binding counts as stored once its transaction has
// committed: until then it is remembered for that transaction only, and forgotten if it rolls
// back (or if the caller rolls back to a savepoint: forgetUncommitted), so a retried batch writes
// it again.
@Injectable()
export class AssetContextService {
  private readonly seen = new Map<string, number>();
  private readonly uncommitted = new WeakMap<QueryRunner, Map<string, number>>();
  private readonly ipNames = new Map<string, { name: string | null; at: number }>();
  private readonly inventory = new Map<string, { endpoint: InventoryEndpoint | null; at: number }>();
  private critical: { rows: Map<string, CriticalAssetRow[]>; at: number } | null = null;

  constructor(
    private readonly repo: AssetsRepository,
    ds: DataSource,
  ) {
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: ({ queryRunner }) => {
        // a savepoint released inside the transaction commits nothing yet
        if (queryRunner.isTransactionActive) return;
        const learned = this.uncommitted.get(queryRunner);
        this.uncommitted.delete(queryRunner);
        for (const [key, hour] of learned ?? []) this.markStored(key, hour);
      },
      afterTransactionRollback: ({ queryRunner }) => {
        this.uncommitted.delete(queryRunner);
      },
    };
    ds.subscribers.push(subscriber);
  }

  /** The caller rolled `tx` back to a savepoint: bindings learned in it may not be stored. */
  forgetUncommitted(tx: EntityManager): void {
    if (tx.queryRunner) this.uncommitted.delete(tx.queryRunner);
  }

  private markStored(key: string, hour: number): void {
    if (this.seen.size >= SEEN_MAX) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, hour);
  }

  async learn(tx: EntityManager, customerId: string, endpoints: AlertEndpoint[], at: Date): Promise<void> {
    for (const e of endpoints) {
      const binding = { hostName: e.hostName?.toLowerCase() ?? '', ip: e.ip ?? '', endpointId: e.endpointId ?? '' };
      if (!binding.hostName && !binding.endpointId) continue; // an IP alone binds nothing
      const key = `${customerId}|${binding.hostName}|${binding.ip}|${binding.endpointId}`;
      // Last-seen times are kept to the hour: a host seen all day is written once an hour.
      const hour = Math.floor(at.getTime() / 3_600_000);
      const qr = tx.queryRunner?.isTransactionActive ? tx.queryRunner : null;
      const pending = qr ? this.uncommitted.get(qr) : undefined;
      if (this.seen.get(key) === hour || pending?.get(key) === hour) continue;
      await this.repo.upsertBinding(tx, customerId, binding, at);
      if (!qr) this.markStored(key, hour);
      else if (pending) pending.set(key, hour);
      else this.uncommitted.set(qr, new Map([[key, hour]]));
      if (binding.hostName && binding.ip) this.ipNames.set(`${customerId}|${binding.ip}`, { name: binding.hostName, at: Date.now() });
    }
  }

  // An inventory change (response.endpoint.changed.v1), in the consumer's transaction. Lookups this
  // process cached are dropped; other replicas see the change within INVENTORY_TTL_MS.
  async remember(tx: EntityManager, customerId: string, endpoint: EndpointChangedBody): Promise<void> {
    await this.repo.upsertInventoryEndpoint(tx, customerId, endpoint);
    this.inventory.clear();
  }

  async contextOf(customerId: string, endpoints: AlertEndpoint[]): Promise<AssetContext> {
    const filled: ContextEndpoint[] = [];
    const managed = new Map<string, InventoryEndpoint>();
    for (const e of endpoints) {
      const inv = await this.inventoryEndpointOf(customerId, e);
      if (inv) {
        managed.set(inv.endpointId, inv);
        filled.push({ hostName: e.hostName ?? inv.hostName.toLowerCase(), ip: e.ip, endpointId: inv.endpointId, ...(inv.agentId ? { agentId: inv.agentId } : {}) });
      } else filled.push({ hostName: e.hostName ?? (e.ip ? await this.hostNameOfIp(customerId, e.ip) : null), ip: e.ip });
    }
    const assets = (await this.criticalAssets()).get(customerId) ?? [];
    const critical = assets.filter((a) => filled.some((e) => (a.hostName !== null && a.hostName === e.hostName) || (a.ip !== null && a.ip === e.ip)));
    return { endpoints: filled, critical, managed: [...managed.values()] };
  }

  // A critical asset was marked in this process: the next alert sees it at once.
  invalidate(): void {
    this.critical = null;
  }

  // The customer's inventory endpoint an alert's endpoint is: its agent id (ECS host.id / agent.id)
  // first, then its host name, then (for an alert naming no host name) its IP; among equals the
  // most recently seen. An alert naming a host name is about that host: an endpoint sharing only
  // its address is another machine (addresses move), so it does not resolve.
  private async inventoryEndpointOf(customerId: string, e: AlertEndpoint): Promise<InventoryEndpoint | null> {
    if (!e.hostName && !e.ip && !e.endpointId) return null;
    const key = `${customerId}|${e.endpointId ?? ''}|${e.hostName ?? ''}|${e.ip ?? ''}`;
    const hit = this.inventory.get(key);
    if (hit && Date.now() - hit.at < INVENTORY_TTL_MS) return hit.endpoint;
    const candidates = await this.repo.inventoryCandidates(customerId, { hostName: e.hostName, ip: e.ip, agentId: e.endpointId });
    const score = (c: (typeof candidates)[number]) => (c.byAgent ? 4 : 0) + (c.byHost ? 2 : 0) + (c.byIp ? 1 : 0);
    const fitting = candidates.filter((c) => c.byAgent || c.byHost || (!e.hostName && c.byIp));
    // candidates come most recently seen first; a stable sort keeps that order among equals
    const best = fitting.sort((x, y) => score(y) - score(x))[0]?.endpoint ?? null;
    if (this.inventory.size >= SEEN_MAX) this.inventory.delete(this.inventory.keys().next().value!);
    this.inventory.set(key, { endpoint: best, at: Date.now() });
    return best;
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
