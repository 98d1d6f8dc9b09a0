import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../config';
import { EntitlementsRepository } from '../entitlements/entitlements.repository';
import { SensorRef } from '../intake/sensor-ref';
import { SensorProduct } from '../parsers/types';
import { LookupCache } from './lookup-cache';
import { IntakeSensorRow, SensorsRepository } from './sensors.repository';
import { hashIngestToken } from './ingest-token';

// A sensor as the intake path sees it: who it belongs to, how to parse it, where to keep it.
export interface IntakeSensor extends SensorRef {
  product: SensorProduct;
  timeZone: string;
  retentionMonths: number;
}

const TTL_MS = 5_000;
const MAX_ENTRIES = 20_000;

// Every record is attributed through here, so answers (including "no such sensor", which a
// flood of bad requests would otherwise turn into queries) are cached briefly: this is the one
// sensor cache of intake (the syslog listener reads it too, synchronously for UDP). Changes made
// by this process invalidate at once; other replicas see them within the TTL.
@Injectable()
export class SensorDirectory {
  private readonly rows = new LookupCache<IntakeSensorRow | null>(TTL_MS, MAX_ENTRIES);
  private readonly retention = new LookupCache<number>(TTL_MS, MAX_ENTRIES);

  constructor(
    private readonly repo: SensorsRepository,
    private readonly entitlements: EntitlementsRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
  ) {}

  // The sensor when the token is its current one (or the previous one within its grace period).
  async authenticate(sensorId: string, token: string): Promise<IntakeSensor | null> {
    if (!UUID.test(sensorId) || !token) return null;
    const row = await this.rows.get(`id:${sensorId}`, () => this.repo.intakeById(sensorId));
    if (!row || row.revoked_at) return null;
    const presented = hashIngestToken(token);
    const current = sameHash(presented, row.token_hash);
    const previous = row.previous_token_hash !== null && row.previous_token_valid_until !== null && row.previous_token_valid_until.getTime() > Date.now() && sameHash(presented, row.previous_token_hash);
    if (!current && !previous) return null;
    return this.toIntake(row);
  }

  // For records that arrive already attributed (syslog by address, mail): the live sensor or null.
  async byId(sensorId: string): Promise<IntakeSensor | null> {
    if (!UUID.test(sensorId)) return null;
    const row = await this.rows.get(`id:${sensorId}`, () => this.repo.intakeById(sensorId));
    return row && !row.revoked_at ? this.toIntake(row) : null;
  }

  async bySourceIp(ip: string): Promise<IntakeSensor | null> {
    const row = await this.rows.get(`ip:${ip}`, () => this.repo.intakeBySourceIp(ip));
    return row && !row.revoked_at ? this.toIntake(row) : null;
  }

  // bySourceIp's answer when the cache holds it, without waiting: the UDP hot path asks this for
  // every datagram and takes the promise only on a miss.
  peekBySourceIp(ip: string): { value: IntakeSensor | null } | undefined {
    const row = this.rows.peek(`ip:${ip}`);
    if (!row) return undefined;
    if (!row.value || row.value.revoked_at) return { value: null };
    const retentionMonths = this.retention.peek(row.value.customer_id);
    return retentionMonths ? { value: intakeSensor(row.value, retentionMonths.value) } : undefined;
  }

  async byCertificate(fingerprint: string): Promise<IntakeSensor | null> {
    const row = await this.rows.get(`cert:${fingerprint}`, () => this.repo.intakeByCertificate(fingerprint));
    return row && !row.revoked_at ? this.toIntake(row) : null;
  }

  async bySender(sender: string): Promise<IntakeSensor | null> {
    const row = await this.rows.get(`mail:${sender.toLowerCase()}`, () => this.repo.intakeBySender(sender.toLowerCase()));
    return row && !row.revoked_at ? this.toIntake(row) : null;
  }

  // After a change made here (rotation, revocation, settings, a contract event).
  invalidate(): void {
    this.rows.clear();
    this.retention.clear();
  }

  private async toIntake(row: IntakeSensorRow): Promise<IntakeSensor> {
    const retentionMonths = await this.retention.get(row.customer_id, async () => {
      const e = await this.entitlements.forCustomer(row.customer_id);
      return e.retentionMonths ?? this.config.DEFAULT_LOG_RETENTION_MONTHS;
    });
    return intakeSensor(row, retentionMonths);
  }
}

function intakeSensor(row: IntakeSensorRow, retentionMonths: number): IntakeSensor {
  return { sensorId: row.id, customerId: row.customer_id, product: row.product as SensorProduct, timeZone: row.time_zone, retentionMonths, acceptUdp: row.accept_udp !== false };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
