import { Injectable, OnModuleInit } from '@nestjs/common';
import { SensorFirstEventReceived, SensorRegistered } from '@kanshi/events';
import { ConsumerHost, PermanentEventError } from '@kanshi/messaging';
import { ContractsRepository } from './contracts.repository';

// The onboarding checklist learns about sensors from ingestion's events.
@Injectable()
export class OnboardingConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly repo: ContractsRepository,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'contracts-sensor-registered',
      event: SensorRegistered,
      handle: async (event, { em }) => {
        if (!event.customerId) throw new PermanentEventError(`sensor ${event.body.sensorId} was registered without a customer`);
        await this.repo.sensorRegistered(em, { sensorId: event.body.sensorId, customerId: event.customerId, product: event.body.product, name: event.body.name, at: event.occurredAt });
      },
    });
    this.host.register({
      durable: 'contracts-sensor-first-event',
      event: SensorFirstEventReceived,
      handle: async (event, { em }) => {
        if (!event.customerId) throw new PermanentEventError(`sensor ${event.body.sensorId} has no customer`);
        await this.repo.sensorFirstEvent(em, { sensorId: event.body.sensorId, customerId: event.customerId, at: event.body.at });
      },
    });
  }
}
