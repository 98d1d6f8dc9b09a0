import { EdrProductCode } from '@kanshi/events';
import { EdrConnector } from './edr-connector';

// Builds a customer's connector for one EDR from its stored (encrypted) credentials, and records
// that the credentials were refused. The isolation, inventory and count modules depend on this
// class only; the vendor adapters (issue 12, item 1) provide the implementation.
export abstract class EdrConnectorFactory {
  // Throws VendorError (NOT_CONFIGURED / AUTH) when the customer has no usable connector.
  abstract forCustomer(customerId: string, product: EdrProductCode): Promise<EdrConnector>;
  // The vendor refused the customer's credentials: provider staff must fix them.
  abstract markUnhealthy(customerId: string, product: EdrProductCode, message: string): Promise<void>;
}
