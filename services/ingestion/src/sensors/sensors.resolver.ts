import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal } from '@kanshi/auth';
import { CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { RegisterSensorInput } from './register-sensor.input';
import { SensorEntity } from './sensor.entity';
import { SensorObject, SensorRegistrationObject } from './sensor.object';
import { SensorsService } from './sensors.service';

@Resolver(() => SensorObject)
export class SensorsResolver {
  constructor(private readonly service: SensorsService) {}

  @Query(() => [SensorObject])
  sensors(@CurrentPrincipal() principal: Principal, @Args('customerId', { type: () => ID, nullable: true }) customerId?: string) {
    return this.service.list(principal, customerId);
  }

  @Mutation(() => SensorRegistrationObject)
  registerSensor(@CurrentPrincipal() principal: Principal, @Args('input') input: RegisterSensorInput) {
    return this.service.register(principal, input);
  }
}

// Customer.sensors: batched per gateway fetch, scoped to what the caller may see.
@Resolver(() => CustomerRef)
export class CustomerSensorsResolver {
  constructor(private readonly service: SensorsService) {}

  @ResolveField(() => [SensorObject])
  sensors(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext): Promise<SensorEntity[]> {
    const principal = principalOf(ctx);
    return requestLoader<SensorEntity[]>(ctx.req, 'sensorsByCustomer', (ids) => this.service.byCustomers(principal, ids)).load(customer.id).then((s) => s ?? []);
  }
}
