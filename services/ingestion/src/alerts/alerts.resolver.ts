import { Args, Context, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { IngestionPermissions } from '../ingestion.permissions';
import { SensorObject } from '../sensors/sensor.object';
import { sensorLoader } from '../sensors/sensors.resolver';
import { SensorsService } from '../sensors/sensors.service';
import { AlertConnection, AlertObject } from './alert.object';
import { AlertsArgs } from './alerts.args';
import { AlertsService } from './alerts.service';

@Resolver(() => AlertObject)
export class AlertsResolver {
  constructor(
    private readonly service: AlertsService,
    private readonly sensors: SensorsService,
  ) {}

  @Query(() => AlertConnection, { description: 'Alerts you may see, newest first by first receipt, a page at a time' })
  @CallableBy(IngestionPermissions.readAlerts)
  alerts(@CurrentPrincipal() principal: Principal, @Args() args: AlertsArgs) {
    return this.service.page(principal, args.filter, args.first, args.after);
  }

  @ResolveField(() => SensorObject, { description: 'The sensor that reported the alert' })
  @CallableBy(IngestionPermissions.readSensors)
  sensor(@Parent() alert: AlertObject, @Context() ctx: SubgraphContext) {
    return sensorLoader(ctx, this.sensors).load(alert.sensorId);
  }

  @ResolveReference()
  @ReferenceCallableBy(IngestionPermissions.readAlerts)
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    const principal = principalOf(ctx);
    return requestLoader<AlertObject>(ctx.req, 'alert', (ids) => this.service.visibleByIds(principal, ids)).load(ref.id);
  }
}
