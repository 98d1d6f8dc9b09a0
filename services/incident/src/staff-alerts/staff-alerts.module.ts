import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ConnectorUnhealthy } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { MailAdapter } from '../adapters/mail.adapter';
import { StaffAlertsService } from './staff-alerts.service';

@Injectable()
export class StaffAlertsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly service: StaffAlertsService,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'incident-connector-unhealthy',
      event: ConnectorUnhealthy,
      handle: async (e, { em }) => {
        await this.service.onConnectorUnhealthy(em, e);
      },
    });
  }
}

// Operational alerts to provider staff (not customers): a customer's EDR connector or FireEye
// appliance whose credentials the vendor refused.
@Module({
  providers: [StaffAlertsService, StaffAlertsConsumer, MailAdapter],
})
export class StaffAlertsModule {}
