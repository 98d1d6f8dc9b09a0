import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { EdrProductCode } from '@kanshi/events';
import { EdrProduct } from '../endpoints/endpoint.object';
import { ConfigureEdrConnectorInput } from './configure-edr-connector.input';
import { ConnectorsPermissions } from './connectors.permissions';
import { ConnectorsService } from './connectors.service';
import { EdrConnectorTestObject } from './edr-connector-test.object';
import { EdrConnectorObject } from './edr-connector.object';

@Resolver(() => EdrConnectorObject)
export class ConnectorsResolver {
  constructor(private readonly service: ConnectorsService) {}

  @Query(() => [EdrConnectorObject], { description: 'A customer’s EDR connectors, by product (provider staff only; never the secret)' })
  @CallableBy(ConnectorsPermissions.readConnectors)
  edrConnectors(@CurrentPrincipal() principal: Principal, @Args('customerId', { type: () => ID, description: 'The customer' }) customerId: string) {
    return this.service.list(principal, customerId);
  }

  @Mutation(() => EdrConnectorObject, { description: 'Creates or replaces a customer’s connector for one EDR product; the secret is stored encrypted and never shown again' })
  @CallableBy(ConnectorsPermissions.configureConnectors)
  configureEdrConnector(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The connector' }) input: ConfigureEdrConnectorInput) {
    return this.service.configure(principal, input);
  }

  @Mutation(() => EdrConnectorTestObject, { description: 'Logs in to the EDR console with the stored credentials and reads one host, recording the connector’s health' })
  @CallableBy(ConnectorsPermissions.testConnectors)
  testEdrConnector(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId', { type: () => ID, description: 'The customer' }) customerId: string,
    @Args('product', { type: () => EdrProduct, description: 'The EDR product' }) product: EdrProductCode,
  ) {
    return this.service.test(principal, customerId, product);
  }
}
