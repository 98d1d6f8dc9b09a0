import { Injectable, OnModuleInit } from '@nestjs/common';
import { PermanentEventError, ConsumerHost } from '@kanshi/messaging';
import { SensorRegistered, SensorVersionChanged } from '@kanshi/events';
import { SensorsRepository } from './sensors.repository';

// Which customer each sensor belongs to (the envelope's customerId) and its name, from ingestion's
// sensor.registered: availability incidents need both; and the product version it reports.
@Injectable()
export class SensorsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly repo: SensorsRepository,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'incident-sensor-registered',
      event: SensorRegistered,
      handle: async (e, { em }) => {
        if (!e.customerId) throw new PermanentEventError(`sensor.registered ${e.body.sensorId} names no customer`);
        await this.repo.upsert(em, { sensorId: e.body.sensorId, customerId: e.customerId, product: e.body.product, name: e.body.name }, e.occurredAt);
      },
    });
    // The product version the sensor reports (work orders start from it).
    this.host.register({
      durable: 'incident-sensor-version',
      event: SensorVersionChanged,
      handle: async (e, { em }) => {
        if (!e.customerId) throw new PermanentEventError(`sensor.version-changed ${e.body.sensorId} names no customer`);
        await this.repo.setVersion(em, { sensorId: e.body.sensorId, customerId: e.customerId, product: e.body.product, version: e.body.version, seenAt: e.body.seenAt });
      },
    });
  }
}
