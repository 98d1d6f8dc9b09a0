import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { ConnectorsPermissions } from '../connectors/connectors.permissions';
import { EdrConnectorTestObject } from '../connectors/edr-connector-test.object';
import { ConfigureFireEyeApplianceInput } from './configure-fireeye-appliance.input';
import { FireEyeApplianceObject } from './fireeye-appliance.object';
import { FireEyeAppliancesService } from './fireeye-appliances.service';

@Resolver(() => FireEyeApplianceObject)
export class FireEyeAppliancesResolver {
  constructor(private readonly service: FireEyeAppliancesService) {}

  @Query(() => [FireEyeApplianceObject], { description: 'A customer’s FireEye NX / CM / EX appliances whose alerts are pulled (provider staff only; never the password)' })
  @CallableBy(ConnectorsPermissions.readConnectors)
  fireEyeAppliances(@CurrentPrincipal() principal: Principal, @Args('customerId', { type: () => ID, description: 'The customer' }) customerId: string) {
    return this.service.list(principal, customerId);
  }

  @Mutation(() => FireEyeApplianceObject, { description: 'Creates or replaces a customer’s FireEye appliance to pull alerts from (Web Services API); the password is stored encrypted and never shown again; the first pull starts at once' })
  @CallableBy(ConnectorsPermissions.configureConnectors)
  configureFireEyeAppliance(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The appliance' }) input: ConfigureFireEyeApplianceInput) {
    return this.service.configure(principal, input);
  }

  @Mutation(() => EdrConnectorTestObject, { description: 'Logs in to the FireEye appliance with the stored credentials and reads its last hour of alerts (handing none on), recording its health' })
  @CallableBy(ConnectorsPermissions.testConnectors)
  testFireEyeAppliance(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The appliance' }) id: string) {
    return this.service.test(principal, id);
  }
}
