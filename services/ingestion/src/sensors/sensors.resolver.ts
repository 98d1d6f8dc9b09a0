import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
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

  @Query(() => [SensorObject], { description: "Sensors you may see: provider staff every sensor, a partner its customers', a customer its own" })
  @CallableBy(IngestionPermissions.readSensors)
  sensors(@CurrentPrincipal() principal: Principal, @Args('customerId', { type: () => ID, nullable: true, description: "Only this customer's sensors; every visible sensor when omitted" }) customerId?: string) {
    return this.service.list(principal, customerId);
  }

  @Mutation(() => SensorRegistrationObject, { description: 'Registers a sensor for a customer and returns its ingest token, shown once' })
  @CallableBy(IngestionPermissions.registerSensors)
  registerSensor(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The customer, product and intake settings of the sensor' }) input: RegisterSensorInput) {
    return this.service.register(principal, input);
  }

  @Mutation(() => SensorRegistrationObject, { description: 'A new ingest token, shown once; the previous one keeps working for gracePeriodSeconds (default 0)' })
  @CallableBy(IngestionPermissions.rotateIngestTokens)
  rotateIngestToken(
    @CurrentPrincipal() principal: Principal,
    @Args('sensorId', { type: () => ID, description: 'The sensor whose token is replaced' }) sensorId: string,
    @Args('gracePeriodSeconds', { type: () => Int, nullable: true, description: 'Seconds the previous token keeps working; 0 (at once) when omitted' }) gracePeriodSeconds?: number,
  ) {
    return this.service.rotateToken(principal, sensorId, gracePeriodSeconds ?? 0);
  }

  @Mutation(() => SensorObject, { description: 'Stops all intake for the sensor, for good' })
  @CallableBy(IngestionPermissions.revokeSensors)
  revokeSensor(@CurrentPrincipal() principal: Principal, @Args('sensorId', { type: () => ID, description: 'The sensor to revoke' }) sensorId: string) {
    return this.service.revoke(principal, sensorId);
  }

  @Mutation(() => SensorObject, { description: "Changes a sensor's name, allowed sources, liveness thresholds or time zone" })
  @CallableBy(IngestionPermissions.changeSensorSettings)
  updateSensorSettings(@CurrentPrincipal() principal: Principal, @Args('sensorId', { type: () => ID, description: 'The sensor to change' }) sensorId: string, @Args('input', { description: 'The settings to change; an omitted field is left as it is' }) input: UpdateSensorSettingsInput) {
    return this.service.updateSettings(principal, sensorId, input);
  }

  @ResolveReference()
  @ReferenceCallableBy(IngestionPermissions.readSensors)
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

  @ResolveField(() => [SensorObject], { description: "The customer's sensors visible to the caller" })
  @CallableBy(IngestionPermissions.readSensors)
  sensors(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext): Promise<SensorEntity[]> {
    const principal = principalOf(ctx);
    return requestLoader<SensorEntity[]>(ctx.req, 'sensorsByCustomer', (ids) => this.service.byCustomers(principal, ids)).load(customer.id).then((s) => s ?? []);
  }
}
