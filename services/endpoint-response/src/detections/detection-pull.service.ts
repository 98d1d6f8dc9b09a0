import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectorUnhealthy, DetectionPulled, EdrProductCode } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { counter, createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { EndpointResponseConfig } from '../config';
import { CredentialsCipher } from '../connectors/credentials-cipher';
import { EdrConnectorFactory } from '../connectors/edr-connector.factory';
import { VendorError } from '../connectors/vendor-error';
import { DetectionsRepository, FireEyeApplianceRow } from './detections.repository';
import { advanceFireEyeCursor, readFireEyeCursor, windowHours } from './fireeye-ws-cursor';
import { FireEyeWsClient } from './fireeye-ws.client';

// What one pull job pulls: a customer's EDR connector, or a FireEye appliance.
export type PullSource = { kind: 'edr'; customerId: string; product: EdrProductCode } | { kind: 'fireeye-ws'; applianceId: string };

export function sourceKey(s: PullSource): string {
  return s.kind === 'edr' ? `edr|${s.customerId}|${s.product}` : `fireeye-ws|${s.applianceId}`;
}

export function applianceSecretContext(customerId: string, baseUrl: string): string {
  return `fireeye-appliance|${customerId}|${baseUrl}`;
}

const pulled = counter('kanshi_detections_pulled_total', 'Detections pulled from vendor APIs and handed to ingestion', ['product']);
const failures = counter('kanshi_detection_pull_failures_total', 'Detection pulls that failed', ['product', 'kind']);
const log = createLogger('detection-pull');

// Pulls one source: its cursor is read and its row locked, the vendor asked for what changed
// since, one response.detection.pulled.v1 per detection written to the outbox and the new cursor
// stored, all in one transaction. A crash before the commit leaves the old cursor and no event
// (the next pull asks again); after it, both are kept: each detection is published once.
@Injectable()
export class DetectionPullService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: DetectionsRepository,
    private readonly factory: EdrConnectorFactory,
    private readonly cipher: CredentialsCipher,
    private readonly outbox: Outbox,
    @Inject(PLATFORM_CONFIG) private readonly config: EndpointResponseConfig,
  ) {}

  // Every source due for a pull: configured connectors with a sensor (not unhealthy), and appliances.
  async sources(): Promise<PullSource[]> {
    const edr = (await this.factory.configured()).filter((c) => c.sensorId && c.health !== 'UNHEALTHY').map((c): PullSource => ({ kind: 'edr', customerId: c.customerId, product: c.product }));
    const fe = (await this.repo.appliances()).filter((a) => a.health !== 'UNHEALTHY').map((a): PullSource => ({ kind: 'fireeye-ws', applianceId: a.id }));
    return [...edr, ...fe];
  }

  // The number of detections published. AUTH marks the connector / appliance unhealthy (and ends
  // quietly: the job is not retried with credentials the vendor refused); anything else throws.
  async pull(source: PullSource): Promise<number> {
    try {
      return source.kind === 'edr' ? await this.pullConnector(source.customerId, source.product) : await this.pullAppliance(source.applianceId);
    } catch (err) {
      const product = source.kind === 'edr' ? source.product : 'FIREEYE_WS';
      failures.inc({ product, kind: VendorError.is(err) ? err.kind : 'OTHER' });
      if (VendorError.is(err, 'AUTH')) {
        if (source.kind === 'edr') await this.factory.markUnhealthy(source.customerId, source.product, err.message);
        else {
          const a = await this.repo.appliance(source.applianceId);
          if (a) await this.applianceRefused(a, err.message);
        }
        log.warn({ source: sourceKey(source), reason: err.message.slice(0, 300) }, 'detection pull refused: credentials marked unhealthy');
        return 0;
      }
      if (VendorError.is(err, 'NOT_CONFIGURED')) return 0;
      log.warn({ source: sourceKey(source), err }, 'detection pull failed; the job retries');
      throw err;
    }
  }

  private async pullConnector(customerId: string, product: EdrProductCode): Promise<number> {
    const connector = (await this.factory.configured(product)).find((c) => c.customerId === customerId);
    if (!connector?.sensorId) return 0;
    const sensorId = connector.sensorId;
    const source = sourceKey({ kind: 'edr', customerId, product });
    const edr = await this.factory.forCustomer(customerId, product);
    const n = await this.ds.transaction(async (em) => {
      const cursor = await this.repo.lockCursor(em, source, customerId);
      const page = await edr.pullDetections(cursor);
      const pulledAt = new Date();
      await this.outbox.addMany(
        em,
        DetectionPulled,
        page.detections.map((d) => ({ customerId, body: { sensorId, product, externalId: d.externalId.slice(0, 512), record: d.record, pulledAt: pulledAt.toISOString() } })),
      );
      await this.repo.saveCursor(em, source, page.nextCursor, page.detections.length, pulledAt);
      return page.detections.length;
    });
    if (connector.health !== 'HEALTHY') await this.factory.markHealthy(customerId, product);
    pulled.inc({ product }, n);
    if (n) log.info({ customerId, product, detections: n }, 'detections pulled');
    return n;
  }

  private async pullAppliance(applianceId: string): Promise<number> {
    const a = await this.repo.appliance(applianceId);
    if (!a) return 0;
    const client = this.client(a);
    const source = sourceKey({ kind: 'fireeye-ws', applianceId });
    try {
      const n = await this.ds.transaction(async (em) => {
        const now = new Date();
        const cursor = readFireEyeCursor(await this.repo.lockCursor(em, source, a.customerId), now, this.config.DETECTION_PULL_FIREEYE_LOOKBACK_MS);
        const from = new Date(cursor.from);
        const { head, alerts } = await client.alerts(from, windowHours(from, now));
        const ids = alerts.map((x) => ({ id: String(x.id ?? ''), occurred: typeof x.occurred === 'string' ? x.occurred : null })).filter((x) => x.id);
        const { fresh, next } = advanceFireEyeCursor(cursor, ids, now, this.config.DETECTION_PULL_FIREEYE_OVERLAP_MS);
        const items = alerts
          .filter((x) => fresh.has(String(x.id ?? '')))
          .map((alert) => ({
            customerId: a.customerId,
            // the notification's shape (msg, product, version, appliance, alert): what an alert mail carries
            body: { sensorId: a.sensorId, product: a.product, externalId: String(alert.id), record: { ...head, msg: 'extended', alert }, pulledAt: now.toISOString() },
          }));
        await this.outbox.addMany(em, DetectionPulled, items);
        await this.repo.saveCursor(em, source, JSON.stringify(next), items.length, now);
        return items.length;
      });
      if (a.health !== 'HEALTHY') await this.repo.setApplianceHealth(a.id, 'HEALTHY', null, new Date());
      pulled.inc({ product: a.product }, n);
      if (n) log.info({ customerId: a.customerId, applianceId, detections: n }, 'FireEye appliance alerts pulled');
      return n;
    } finally {
      await client.logout();
    }
  }

  // testFireEyeAppliance: logs in and reads the last hour's alerts, handing nothing on.
  async probe(a: FireEyeApplianceRow): Promise<void> {
    const client = this.client(a);
    try {
      await client.alerts(new Date(Date.now() - 3600_000), 1);
    } finally {
      await client.logout();
    }
  }

  // The appliance refused the credentials: UNHEALTHY with its message, not pulled until reconfigured.
  // Provider staff are alerted once per turn (response.connector.unhealthy.v1 -> incident's staff mail).
  async applianceRefused(a: FireEyeApplianceRow, message: string): Promise<void> {
    const at = new Date();
    const lastError = message.slice(0, 1000);
    await this.ds.transaction(async (em) => {
      const previous = await this.repo.turnApplianceUnhealthy(em, a.id, lastError, at);
      if (previous && previous !== 'UNHEALTHY') {
        await this.outbox.add(em, ConnectorUnhealthy, { kind: 'FIREEYE_APPLIANCE', connectorId: a.id, product: a.product, baseUrl: a.baseUrl, message: lastError, at: at.toISOString() }, { customerId: a.customerId });
      }
    });
  }

  private client(a: FireEyeApplianceRow): FireEyeWsClient {
    const c = this.config;
    return new FireEyeWsClient({
      baseUrl: a.baseUrl,
      username: a.username,
      password: this.cipher.decrypt(a.passwordCiphertext, applianceSecretContext(a.customerId, a.baseUrl)),
      timeoutMs: c.EDR_HTTP_TIMEOUT_MS,
      maxRetries: c.EDR_MAX_RETRIES,
      retryBaseMs: c.EDR_RETRY_BASE_MS,
      retryMaxMs: c.EDR_RETRY_MAX_MS,
      maxRateLimitWaits: c.EDR_MAX_RATE_LIMIT_WAITS,
      maxRetryAfterMs: c.EDR_MAX_RETRY_AFTER_MS,
    });
  }
}
