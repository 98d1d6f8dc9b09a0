import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { IngestionPermissions } from '../ingestion.permissions';
import { RegisterSensorInput } from './register-sensor.input';
import { SensorEntity } from './sensor.entity';
import { SensorObject, SensorRegistrationObject } from './sensor.object';
import { SensorsService } from './sensors.service';
import { UpdateSensorSettingsInput } from './update-sensor-settings.input';

@Resolver(() => SensorObject)
export class SensorsResolver {
  constructor(private readonly service: SensorsService) {}

  @Query(() => [SensorObject])
  @CallableBy(IngestionPermissions.readSensors)
  sensors(@CurrentPrincipal() principal: Principal, @Args('customerId', { type: () => ID, nullable: true }) customerId?: string) {
    return this.service.list(principal, customerId);
  }

  @Mutation(() => SensorRegistrationObject)
  @CallableBy(IngestionPermissions.registerSensors)
  registerSensor(@CurrentPrincipal() principal: Principal, @Args('input') input: RegisterSensorInput) {
    return this.service.register(principal, input);
  }

  @Mutation(() => SensorRegistrationObject, { description: 'A new ingest token, shown once; the previous one keeps working for gracePeriodSeconds (default 0)' })
  @CallableBy(IngestionPermissions.rotateIngestTokens)
  rotateIngestToken(
    @CurrentPrincipal() principal: Principal,
    @Args('sensorId', { type: () => ID }) sensorId: string,
    @Args('gracePeriodSeconds', { type: () => Int, nullable: true }) gracePeriodSeconds?: number,
  ) {
    return this.service.rotateToken(principal, sensorId, gracePeriodSeconds ?? 0);
  }

  @Mutation(() => SensorObject, { description: 'Stops all intake for the sensor, for good' })
  @CallableBy(IngestionPermissions.revokeSensors)
  revokeSensor(@CurrentPrincipal() principal: Principal, @Args('sensorId', { type: () => ID }) sensorId: string) {
    return this.service.revoke(principal, sensorId);
  }

  @Mutation(() => SensorObject)
  @CallableBy(IngestionPermissions.changeSensorSettings)
  updateSensorSettings(@CurrentPrincipal() principal: Principal, @Args('sensorId', { type: () => ID }) sensorId: string, @Args('input') input: UpdateSensorSettingsInput) {
    return this.service.updateSettings(principal, sensorId, input);
  }

  @ResolveReference()
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    return sensorLoader(ctx, this.service).load(ref.id);
  }
}

// One query per request for every sensor referenced (Alert.sensor, entity references), scoped to
// what the caller may see.
export function sensorLoader(ctx: SubgraphContext, service: SensorsService) {
  const principal = principalOf(ctx);
  return requestLoader<SensorEntity>(ctx.req, 'sensor', (ids) => service.visibleByIds(principal, ids));
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
