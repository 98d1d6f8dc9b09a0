import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { SensorRegistered } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { PLATFORM_CONFIG, TenantDirectory } from '@kanshi/platform';
import { IngestionConfig } from '../config';
import { AddressPolicy } from './address-policy';
import { EntitlementsRepository } from '../entitlements/entitlements.repository';
import { IngestionPermissions } from '../ingestion.permissions';
import { IngestionError } from './ingestion.errors';
import { hashIngestToken, newIngestToken } from './ingest-token';
import { RegisterSensorInput } from './register-sensor.input';
import { SensorDirectory } from './sensor-directory.service';
import { SensorEntity } from './sensor.entity';
import { SensorsRepository } from './sensors.repository';
import { UpdateSensorSettingsInput } from './update-sensor-settings.input';
import { assertUuid, isUuid } from './uuid-arg';

export { hashIngestToken, newIngestToken } from './ingest-token';

const MAX_GRACE_SECONDS = 7 * 86400;

@Injectable()
export class SensorsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: SensorsRepository,
    private readonly directory: TenantDirectory,
    private readonly entitlements: EntitlementsRepository,
    private readonly sensors: SensorDirectory,
    private readonly outbox: Outbox,
    @Inject(PLATFORM_CONFIG) config: IngestionConfig,
  ) {
    this.policy = new AddressPolicy(config);
  }

  private readonly policy: AddressPolicy;

  list(principal: Principal, customerId?: string): Promise<SensorEntity[]> {
    authorize(principal, IngestionPermissions.readSensors);
    if (customerId) assertUuid(customerId, 'customerId');
    return this.repo.findVisible(scopeOf(principal), customerId ? [customerId] : undefined);
  }

  async byCustomers(principal: Principal, customerIds: readonly string[]): Promise<Map<string, SensorEntity[]>> {
    const rows = await this.repo.findVisible(scopeOf(principal), customerIds);
    const out = new Map<string, SensorEntity[]>(customerIds.map((id) => [id, []]));
    for (const s of rows) out.get(s.customerId)?.push(s);
    return out;
  }

  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, SensorEntity>> {
    // an entity reference that is no UUID names nothing: null, like another tenant's
    const rows = await this.repo.findVisibleByIds(scopeOf(principal), ids.filter(isUuid));
    return new Map(rows.map((s) => [s.id, s]));
  }

  async register(principal: Principal, input: RegisterSensorInput): Promise<{ sensor: SensorEntity; ingestToken: string }> {
    authorize(principal, IngestionPermissions.registerSensors);
    await this.directory.visibleCustomerOrThrow(principal, input.customerId, 'customerId');
    if (!(await this.entitlements.forCustomer(input.customerId)).active) {
      throw new IngestionError('NO_ACTIVE_CONTRACT', `customer ${input.customerId} has no contract in force; sensors are registered once a quote is accepted`, 'customerId');
    }
    if (input.timeZone && !isTimeZone(input.timeZone)) throw new IngestionError('BAD_INPUT', `timeZone "${input.timeZone}" is not an IANA time zone`, 'timeZone');
    const heartbeat = input.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_SECONDS;
    // unless chosen, the threshold follows a longer heartbeat interval
    const silence = input.silenceThresholdSeconds ?? Math.max(DEFAULT_SILENCE_SECONDS, HEARTBEATS_MISSED_BEFORE_DOWN * heartbeat);
    assertSilenceCoversHeartbeats(heartbeat, silence);
    const allowedSourceIps = unique(input.allowedSourceIps ?? []);
    const allowedSenders = unique((input.allowedSenders ?? []).map((s) => s.toLowerCase()));
    this.assertMayBind(principal, allowedSourceIps, allowedSenders);
    const ingestToken = newIngestToken();
    const sensor = await this.ds.transaction(async (em) => {
      await this.assertUnclaimed(em, allowedSourceIps, allowedSenders);
      const created = await this.repo.insert(em, {
        customerId: input.customerId,
        product: input.product,
        name: input.name,
        tokenHash: hashIngestToken(ingestToken),
        tokenRotatedAt: new Date(),
        allowedSourceIps,
        allowedSenders,
        heartbeatIntervalSeconds: heartbeat,
        silenceThresholdSeconds: silence,
        timeZone: input.timeZone ?? 'Asia/Tokyo',
      });
      await this.outbox.add(em, SensorRegistered, { sensorId: created.id, product: created.product, name: created.name }, { customerId: created.customerId });
      return created;
    });
    this.sensors.invalidate();
    return { sensor, ingestToken };
  }

  // A new token at once; the old one keeps working for `graceSeconds` (0: stops now) so a
  // device can be reconfigured without losing events.
  async rotateToken(principal: Principal, sensorId: string, graceSeconds = 0): Promise<{ sensor: SensorEntity; ingestToken: string }> {
    authorize(principal, IngestionPermissions.rotateIngestTokens);
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
      throw new IngestionError('BAD_INPUT', `gracePeriodSeconds must be between 0 and ${MAX_GRACE_SECONDS}`, 'gracePeriodSeconds');
    }
    const ingestToken = newIngestToken();
    const sensor = await this.change(principal, sensorId, async (s) => {
      const now = new Date();
      s.previousTokenHash = graceSeconds > 0 ? s.tokenHash : null;
      s.previousTokenValidUntil = graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null;
      s.tokenHash = hashIngestToken(ingestToken);
      s.tokenRotatedAt = now;
    });
    return { sensor, ingestToken };
  }

  // A revoked sensor's tokens, source addresses and senders stop working for good.
  revoke(principal: Principal, sensorId: string): Promise<SensorEntity> {
    authorize(principal, IngestionPermissions.revokeSensors);
    return this.change(principal, sensorId, async (s) => {
      s.revokedAt = new Date();
      s.previousTokenHash = null;
      s.previousTokenValidUntil = null;
    });
  }

  updateSettings(principal: Principal, sensorId: string, input: UpdateSensorSettingsInput): Promise<SensorEntity> {
    authorize(principal, IngestionPermissions.changeSensorSettings);
    if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) throw new IngestionError('BAD_INPUT', `timeZone "${input.timeZone}" is not an IANA time zone`, 'timeZone');
    return this.change(principal, sensorId, async (s, em) => {
      const ips = input.allowedSourceIps !== undefined ? unique(input.allowedSourceIps) : undefined;
      const senders = input.allowedSenders !== undefined ? unique(input.allowedSenders.map((x) => x.toLowerCase())) : undefined;
      // removing an address is anyone's (it only stops attribution); adding one is a provider decision
      const addedIps = (ips ?? []).filter((ip) => !s.allowedSourceIps.includes(ip));
      const addedSenders = (senders ?? []).filter((x) => !s.allowedSenders.includes(x));
      this.assertMayBind(principal, addedIps, addedSenders);
      await this.assertUnclaimed(em, addedIps, addedSenders, s.id);
      if (input.clientCertFingerprints !== undefined) {
        const fps = unique(input.clientCertFingerprints.map(normalizeFingerprint));
        const added = fps.filter((f) => !s.clientCertFingerprints.includes(f));
        // a certificate identifies a device as an address does: provider staff bind it
        if (added.length && !principal.hasRole(...IngestionPermissions.bindSensorAddresses.roles)) {
          throw new IngestionError('BINDING_NEEDS_APPROVAL', 'binding a client certificate to a sensor is decided by provider staff', 'clientCertFingerprints');
        }
        if (added.length) await this.repo.lockClaims(em);
        const taken = await this.repo.claimedCertificates(em, added, s.id);
        if (taken.length) throw new IngestionError('CERTIFICATE_TAKEN', `client certificate ${taken.join(', ')} already belongs to another sensor`, 'clientCertFingerprints');
        s.clientCertFingerprints = fps;
      }
      if (input.acceptUdp !== undefined) s.acceptUdp = input.acceptUdp;
      if (input.name !== undefined) s.name = input.name;
      if (ips !== undefined) s.allowedSourceIps = ips;
      if (senders !== undefined) s.allowedSenders = senders;
      if (input.heartbeatIntervalSeconds !== undefined) s.heartbeatIntervalSeconds = input.heartbeatIntervalSeconds;
      if (input.silenceThresholdSeconds !== undefined) s.silenceThresholdSeconds = input.silenceThresholdSeconds;
      if (input.timeZone !== undefined) s.timeZone = input.timeZone;
      assertSilenceCoversHeartbeats(s.heartbeatIntervalSeconds, s.silenceThresholdSeconds);
    });
  }

  private async change(principal: Principal, sensorId: string, apply: (s: SensorEntity, em: EntityManager) => Promise<void>): Promise<SensorEntity> {
    assertUuid(sensorId, 'sensorId');
    const [visible] = await this.repo.findVisibleByIds(scopeOf(principal), [sensorId]);
    if (!visible) throw new IngestionError('SENSOR_NOT_FOUND', `sensor ${sensorId} not found`, 'sensorId');
    const saved = await this.ds.transaction(async (em) => {
      const sensor = await this.repo.findByIdForUpdate(em, sensorId);
      if (!sensor) throw new IngestionError('SENSOR_NOT_FOUND', `sensor ${sensorId} not found`, 'sensorId');
      if (sensor.revokedAt) throw new IngestionError('SENSOR_REVOKED', `sensor ${sensorId} was revoked on ${sensor.revokedAt.toISOString()}`, 'sensorId');
      await apply(sensor, em);
      return this.repo.save(em, sensor);
    });
    this.sensors.invalidate();
    return saved;
  }

  // Only provider staff bind addresses; reserved and SOC addresses are refused to everybody.
  assertMayBind(principal: Principal, ips: string[], senders: string[]): void {
    if (ips.length === 0 && senders.length === 0) return;
    this.assertBindable(ips, senders);
    if (!principal.hasRole(...IngestionPermissions.bindSensorAddresses.roles)) {
      throw new IngestionError(
        'BINDING_NEEDS_APPROVAL',
        `binding a source address or mail sender to a sensor is decided by provider staff: ask for it with requestAddressBinding`,
        ips.length ? 'allowedSourceIps' : 'allowedSenders',
      );
    }
  }

  assertBindable(ips: string[], senders: string[]): void {
    for (const ip of ips) {
      const why = this.policy.sourceIpRefusal(ip);
      if (why) throw new IngestionError('ADDRESS_RESERVED', `${why}: it cannot be bound to a sensor`, 'allowedSourceIps');
    }
    for (const sender of senders) {
      const why = this.policy.senderRefusal(sender);
      if (why) throw new IngestionError('ADDRESS_RESERVED', `${why}: it cannot be bound to a sensor`, 'allowedSenders');
    }
  }

  // Provider staff only (the only ones who bind), so naming the taken address reveals nothing.
  async assertUnclaimed(em: EntityManager, ips: string[], senders: string[], exceptId?: string): Promise<void> {
    if (ips.length === 0 && senders.length === 0) return;
    await this.repo.lockClaims(em);
    const takenIps = await this.repo.claimedSourceIps(em, ips, exceptId);
    if (takenIps.length) {
      throw new IngestionError('SOURCE_IP_TAKEN', `source address ${takenIps.join(', ')} already belongs to another sensor`, 'allowedSourceIps');
    }
    const takenSenders = await this.repo.claimedSenders(em, senders, exceptId);
    if (takenSenders.length) {
      throw new IngestionError('SENDER_TAKEN', `sender ${takenSenders.join(', ')} already belongs to another sensor`, 'allowedSenders');
    }
  }
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// AA:BB:... upper case, as node:tls reports fingerprint256
export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/:/g, '').toUpperCase();
  return hex.match(/.{2}/g)!.join(':');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

const DEFAULT_HEARTBEAT_SECONDS = 300;
const DEFAULT_SILENCE_SECONDS = 900;
const HEARTBEATS_MISSED_BEFORE_DOWN = 2;

// A sensor that heartbeats every H seconds is silent for up to H between two of them: a silence
// threshold under two intervals would mark a healthy sensor DOWN and UP again all the time.
function assertSilenceCoversHeartbeats(heartbeatSeconds: number, silenceSeconds: number): void {
  const least = HEARTBEATS_MISSED_BEFORE_DOWN * heartbeatSeconds;
  if (silenceSeconds < least) {
    throw new IngestionError(
      'BAD_INPUT',
      `silenceThresholdSeconds (${silenceSeconds}) must be at least twice heartbeatIntervalSeconds (${heartbeatSeconds}), ${least} or more: a sensor that missed one heartbeat is not down yet`,
      'silenceThresholdSeconds',
    );
  }
}
