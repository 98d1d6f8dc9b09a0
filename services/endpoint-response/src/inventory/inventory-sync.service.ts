import { isIP } from 'node:net';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EndpointChanged, VerdictIssuedV2Body } from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { Outbox } from '@kanshi/messaging';
import { counter, createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { EndpointResponseConfig } from '../config';
import { ConnectorEvents } from '../connectors/connector-events';
import { VendorHost } from '../connectors/edr-connector';
import { EdrConnectorFactory } from '../connectors/edr-connector.factory';
import { EDR_PRODUCTS, EdrProductValue } from '../endpoints/edr-products';
import { endpointChangedBody } from '../endpoints/endpoint-changed';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { EndpointsRepository } from '../endpoints/endpoints.repository';

// Every ENDPOINT_SYNC_INTERVAL_MS: one sync job per MDR customer's EDR.
export const InventorySyncJob = defineJob('endpoint-inventory-sync', { retryLimit: 0, expireInSeconds: 300, policy: 'stately' });
export const ConnectorSyncJob = defineJob<{ customerId: string; product: EdrProductValue }>('endpoint-inventory-sync-connector', {
  retryLimit: 3,
  retryDelaySeconds: 60,
  retryBackoff: true,
  expireInSeconds: 900,
  policy: 'stately',
});

// A sync that only moves last-seen forward by less than this writes it without publishing a change
// (every sync would otherwise republish every host).
const LAST_SEEN_PUBLISH_MS = 3_600_000;
const DAY_MS = 86_400_000;
const synced = counter('kanshi_inventory_sync_total', 'EDR inventory syncs by outcome (synced, not-configured, failed)', ['outcome']);

// The endpoint inventory per customer: synced from each MDR customer's EDR (listHosts, upserted by
// customer, product and agent id) and learned from alerts (verdicts' endpoints). Every change is
// published as response.endpoint.changed.v1 with the endpoint's next version.
@Injectable()
export class InventorySyncService implements OnModuleInit {
  private readonly log = createLogger('InventorySyncService');

  constructor(
    private readonly ds: DataSource,
    private readonly endpoints: EndpointsRepository,
    private readonly connectors: EdrConnectorFactory,
    private readonly outbox: Outbox,
    private readonly jobs: JobQueue,
    private readonly connectorEvents: ConnectorEvents,
    @Inject(PLATFORM_CONFIG) private readonly config: EndpointResponseConfig,
  ) {}

  onModuleInit(): void {
    // A connector just configured is synced at once.
    this.connectorEvents.onConfigured(async ({ customerId, product }) => {
      await this.jobs.send(ConnectorSyncJob, { customerId, product }, { singletonKey: `${customerId}:${product}` });
    });
    this.jobs.work(InventorySyncJob, () => this.syncAll());
    this.jobs.every(InventorySyncJob, this.config.ENDPOINT_SYNC_INTERVAL_MS, { atStart: true });
    this.jobs.work(ConnectorSyncJob, ({ customerId, product }) => this.syncConnector(customerId, product), { workers: 4 });
  }

  // Every configured connector but those whose credentials the vendor refused (provider staff fix
  // them with configureEdrConnector, which makes the connector's health UNKNOWN again).
  async syncAll(): Promise<void> {
    for (const c of await this.connectors.configured()) {
      if (c.health === 'UNHEALTHY') continue;
      await this.jobs.send(ConnectorSyncJob, { customerId: c.customerId, product: c.product }, { singletonKey: `${c.customerId}:${c.product}` });
    }
  }

  // One customer's EDR: every host it lists, upserted; the changed ones published.
  async syncConnector(customerId: string, product: EdrProductValue, now = new Date()): Promise<{ changed: number; hosts: number }> {
    let hosts: VendorHost[];
    try {
      const connector = await this.connectors.forCustomer(customerId, product);
      hosts = await connector.listHosts();
    } catch (err) {
      const kind = err instanceof Error && err.name === 'VendorError' ? (err as Error & { kind: string }).kind : null;
      if (kind === 'NOT_CONFIGURED' || kind === 'REJECTED') {
        synced.inc({ outcome: 'not-configured' });
        this.log.info({ customerId, product, reason: (err as Error).message }, 'inventory sync skipped');
        return { changed: 0, hosts: 0 };
      }
      synced.inc({ outcome: 'failed' });
      if (kind === 'AUTH') {
        this.log.error({ customerId, product, vendorMessage: (err as Error).message }, 'the EDR refused the customer’s credentials during the inventory sync; connector marked unhealthy');
        await this.connectors.markUnhealthy(customerId, product, (err as Error).message);
        return { changed: 0, hosts: 0 };
      }
      throw err;
    }
    const cutoff = new Date(now.getTime() - this.config.MANAGED_ENDPOINT_WINDOW_DAYS * DAY_MS);
    const changed = await this.ds.transaction(async (em) => {
      const out: EndpointEntity[] = [];
      for (const h of hosts) {
        const e = await this.upsertHost(em, customerId, product, h, cutoff);
        if (e) out.push(e);
      }
      await this.publish(em, out);
      return out.length;
    });
    synced.inc({ outcome: 'synced' });
    return { changed, hosts: hosts.length };
  }

  // The endpoints an alert named (host name, IP, agent id), for a customer: known ones gain what
  // is new about them, unknown ones are added without an agent unless the alert came from the EDR.
  async learnFromVerdict(em: EntityManager, customerId: string, body: VerdictIssuedV2Body): Promise<number> {
    const product = (EDR_PRODUCTS as readonly string[]).includes(body.product) ? (body.product as EdrProductValue) : null;
    const out: EndpointEntity[] = [];
    for (const ep of body.endpoints) {
      const hostName = ep.hostName?.trim() || null;
      const ip = ep.ip && isIP(ep.ip.trim()) ? ep.ip.trim() : null;
      const agentId = product ? ep.agentId?.trim() || null : null;
      let e: EndpointEntity | null = null;
      if (agentId && product) {
        e = await this.endpoints.byAgent(em, product, agentId);
        if (e && e.customerId !== customerId) {
          this.log.warn({ customerId, product, agentId }, 'an alert names an agent another customer owns; not learned');
          continue;
        }
      }
      if (!e && hostName) e = await this.endpoints.byHostName(em, customerId, hostName);
      if (!e && ip) e = await this.endpoints.byIp(em, customerId, ip);
      if (!e) {
        if (!hostName && !ip) continue;
        out.push(
          await this.endpoints.insert(em, {
            customerId,
            hostName: (hostName ?? ip)!,
            ipAddresses: ip ? [ip] : [],
            os: null,
            edrProduct: agentId ? product : null,
            edrAgentId: agentId,
            source: 'ALERT',
            isolated: false,
            containment: 'NORMAL',
            retired: false,
            version: 1,
          }),
        );
        continue;
      }
      const patch: Partial<EndpointEntity> = {};
      if (ip && !e.ipAddresses.includes(ip)) patch.ipAddresses = [...e.ipAddresses, ip].slice(-64);
      if (agentId && product && !e.edrAgentId) Object.assign(patch, { edrProduct: product, edrAgentId: agentId });
      if (Object.keys(patch).length) out.push(await this.endpoints.change(em, e, patch));
    }
    await this.publish(em, out);
    return out.length;
  }

  private async upsertHost(em: EntityManager, customerId: string, product: EdrProductValue, h: VendorHost, cutoff: Date): Promise<EndpointEntity | null> {
    let e = await this.endpoints.byAgent(em, product, h.agentId);
    if (e && e.customerId !== customerId) {
      this.log.warn({ customerId, product, agentId: h.agentId, owner: e.customerId }, 'the EDR lists an agent another customer owns; not synced');
      return null;
    }
    e ??= await this.endpoints.byHostName(em, customerId, h.hostName, { withoutAgent: true });
    const seen = h.lastSeenAt ? new Date(h.lastSeenAt) : null;
    const ips = [...new Set(h.ips)].filter((ip) => isIP(ip)).slice(0, 64);
    if (!e) {
      return this.endpoints.insert(em, {
        customerId,
        hostName: h.hostName,
        ipAddresses: ips,
        os: h.os,
        edrProduct: product,
        edrAgentId: h.agentId,
        source: 'EDR',
        isolated: false,
        containment: 'NORMAL',
        lastSeenAt: seen,
        retired: seen !== null && seen < cutoff,
        version: 1,
      });
    }
    const patch: Partial<EndpointEntity> = {};
    if (e.hostName !== h.hostName) patch.hostName = h.hostName;
    if ([...e.ipAddresses].sort().join() !== [...ips].sort().join()) patch.ipAddresses = ips;
    if (h.os && e.os !== h.os) patch.os = h.os;
    if (!e.edrAgentId) Object.assign(patch, { edrProduct: product, edrAgentId: h.agentId });
    if (e.source !== 'EDR') patch.source = 'EDR';
    const newer = seen && (!e.lastSeenAt || seen > e.lastSeenAt) ? seen : null;
    if (newer) {
      const retired = newer < cutoff;
      if (retired !== e.retired) patch.retired = retired;
    }
    const significant = Object.keys(patch).length > 0 || (newer !== null && (!e.lastSeenAt || newer.getTime() - e.lastSeenAt.getTime() >= LAST_SEEN_PUBLISH_MS));
    if (!significant) {
      if (newer) await this.endpoints.touchLastSeen(em, e.id, newer);
      return null;
    }
    return this.endpoints.change(em, e, newer ? { ...patch, lastSeenAt: newer } : patch);
  }

  private async publish(em: EntityManager, changed: EndpointEntity[]): Promise<void> {
    await this.outbox.addMany(
      em,
      EndpointChanged,
      changed.map((e) => ({ body: endpointChangedBody(e), customerId: e.customerId })),
    );
  }
}
