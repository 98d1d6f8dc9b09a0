import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { IngestionPermissions } from '../ingestion.permissions';
import { AddressBindingStatus, type AddressBindingStatusCode } from './address-binding-kinds';
import { AddressBindingRequestObject } from './address-binding-request.object';
import { DecideAddressBindingInput, RequestAddressBindingInput } from './address-binding.input';
import { AddressBindingsService } from './address-bindings.service';

@Resolver(() => AddressBindingRequestObject)
export class AddressBindingsResolver {
  constructor(private readonly service: AddressBindingsService) {}

  @Query(() => [AddressBindingRequestObject], { description: "Binding requests you may see (provider staff every one, a partner its customers', a customer its own), newest first, at most 500" })
  @CallableBy(IngestionPermissions.readAddressBindingRequests)
  addressBindingRequests(@CurrentPrincipal() principal: Principal, @Args('status', { type: () => AddressBindingStatus, nullable: true, description: 'Only requests in this state' }) status?: AddressBindingStatusCode) {
    return this.service.list(principal, status);
  }

  @Mutation(() => AddressBindingRequestObject, { description: 'Asks provider staff to attribute a syslog source address or mail sender to a sensor; reserved and SOC addresses are refused at once' })
  @CallableBy(IngestionPermissions.requestAddressBindings)
  requestAddressBinding(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The sensor and the address' }) input: RequestAddressBindingInput) {
    return this.service.request(principal, input);
  }

  @Mutation(() => AddressBindingRequestObject, { description: 'Approves (binds the address to the sensor) or refuses a binding request' })
  @CallableBy(IngestionPermissions.bindSensorAddresses)
  decideAddressBinding(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The request and the decision' }) input: DecideAddressBindingInput) {
    return this.service.decide(principal, input);
  }
}
