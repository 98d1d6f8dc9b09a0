import { Injectable } from '@nestjs/common';
import { EdrProductCode } from '@kanshi/events';
import { EdrConnector, VendorError } from './edr-connector';
import { EdrConnectorFactory } from './edr-connector.factory';

// Until the vendor adapters are wired: every customer is without a connector, so an isolation
// fails with a clear reason instead of hanging, and inventory syncs skip.
@Injectable()
export class UnconfiguredEdrConnectorFactory extends EdrConnectorFactory {
  forCustomer(customerId: string, product: EdrProductCode): Promise<EdrConnector> {
    return Promise.reject(new VendorError('REJECTED', `no ${product} connector is configured for customer ${customerId}`));
  }

  async markUnhealthy(): Promise<void> {}
}
