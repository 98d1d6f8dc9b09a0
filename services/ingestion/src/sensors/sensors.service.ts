import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Principal, scopeOf } from '@kanshi/auth';
import { SensorRegistered } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { canSeeCustomerId, TenantDirectory } from '@kanshi/platform';
import { IngestionError, IngestionErrorCode } from './ingestion.errors';
import { RegisterSensorInput } from './register-sensor.input';
import { SensorEntity } from './sensor.entity';
import { SensorsRepository } from './sensors.repository';

export function hashIngestToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newIngestToken(): string {
  return `kst_${randomBytes(32).toString('base64url')}`;
}

@Injectable()
export class SensorsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: SensorsRepository,
    private readonly directory: TenantDirectory,
    private readonly outbox: Outbox,
  ) {}

  list(principal: Principal, customerId?: string): Promise<SensorEntity[]> {
    return this.repo.findVisible(scopeOf(principal), customerId ? [customerId] : undefined);
  }

  async byCustomers(principal: Principal, customerIds: readonly string[]): Promise<Map<string, SensorEntity[]>> {
    const rows = await this.repo.findVisible(scopeOf(principal), customerIds);
    const out = new Map<string, SensorEntity[]>(customerIds.map((id) => [id, []]));
    for (const s of rows) out.get(s.customerId)?.push(s);
    return out;
  }

  async register(principal: Principal, input: RegisterSensorInput): Promise<{ sensor: SensorEntity; ingestToken: string }> {
    if (!principal.hasRole('provider_admin', 'engineer', 'partner_admin', 'customer_admin')) {
      throw new IngestionError(IngestionErrorCode.FORBIDDEN, `role ${principal.role} may not register sensors`);
    }
    const scope = scopeOf(principal);
    // Unknown and foreign customers look the same to the caller.
    const known = await this.directory.lookup(input.customerId);
    if (!known || !(await canSeeCustomerId(this.directory, scope, input.customerId))) {
      throw new IngestionError(IngestionErrorCode.CUSTOMER_NOT_FOUND, `customer ${input.customerId} not found`, 'customerId');
    }
    if (input.timeZone && !isTimeZone(input.timeZone)) throw new IngestionError(IngestionErrorCode.BAD_INPUT, `timeZone "${input.timeZone}" is not an IANA time zone`, 'timeZone');
    const ingestToken = newIngestToken();
    return this.ds.transaction(async (em) => {
      const sensor = await this.repo.insert(em, {
        customerId: input.customerId,
        product: input.product,
        name: input.name,
        tokenHash: hashIngestToken(ingestToken),
        tokenRotatedAt: new Date(),
        allowedSourceIps: input.allowedSourceIps ?? [],
        allowedSenders: (input.allowedSenders ?? []).map((s) => s.toLowerCase()),
        heartbeatIntervalSeconds: input.heartbeatIntervalSeconds ?? 300,
        silenceThresholdSeconds: input.silenceThresholdSeconds ?? 900,
        timeZone: input.timeZone ?? 'Asia/Tokyo',
      });
      await this.outbox.add(em, SensorRegistered, { sensorId: sensor.id, product: sensor.product, name: sensor.name }, { customerId: sensor.customerId });
      return { sensor, ingestToken };
    });
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
