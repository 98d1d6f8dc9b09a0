import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { CreateMaintenanceWindowInput, MaintenanceListArgs, MaintenanceWindowsArgs, RecordWorkOrderInput, RecordWorkOrderOutcomeInput, UpdateMaintenanceWindowInput } from './maintenance.inputs';
import { MaintenanceWindowObject } from './maintenance-window.object';
import { MaintenancePermissions } from './maintenance.permissions';
import { MaintenanceService } from './maintenance.service';
import { WorkOrderObject } from './work-order.object';

@Resolver(() => MaintenanceWindowObject)
export class MaintenanceWindowsResolver {
  constructor(private readonly service: MaintenanceService) {}

  @Query(() => [MaintenanceWindowObject], { description: 'Maintenance windows the caller may see, by start (at most 500); cancelled ones only when asked' })
  @CallableBy(MaintenancePermissions.readMaintenance)
  maintenanceWindows(@CurrentPrincipal() principal: Principal, @Args() args: MaintenanceWindowsArgs) {
    return this.service.windows(principal, args);
  }

  @Query(() => MaintenanceWindowObject, { nullable: true, description: 'One maintenance window; null when missing or another tenant’s' })
  @CallableBy(MaintenancePermissions.readMaintenance)
  maintenanceWindow(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Window id' }) id: string) {
    return this.service.window(principal, id);
  }

  @Mutation(() => MaintenanceWindowObject, { description: 'Plans a maintenance window for a customer’s sensors (all, or one): a sensor going DOWN inside it opens no availability incident' })
  @CallableBy(MaintenancePermissions.manageMaintenance)
  createMaintenanceWindow(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The window' }) input: CreateMaintenanceWindowInput) {
    return this.service.createWindow(principal, input);
  }

  @Mutation(() => MaintenanceWindowObject, { description: 'Changes a maintenance window (its period, reason or note); a cancelled one cannot change' })
  @CallableBy(MaintenancePermissions.manageMaintenance)
  updateMaintenanceWindow(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The changes' }) input: UpdateMaintenanceWindowInput) {
    return this.service.updateWindow(principal, input);
  }

  @Mutation(() => MaintenanceWindowObject, { description: 'Cancels a maintenance window: it suppresses nothing from then on and leaves the reports' })
  @CallableBy(MaintenancePermissions.manageMaintenance)
  cancelMaintenanceWindow(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Window id' }) id: string) {
    return this.service.cancelWindow(principal, id);
  }
}

@Resolver(() => WorkOrderObject)
export class WorkOrdersResolver {
  constructor(private readonly service: MaintenanceService) {}

  @Query(() => [WorkOrderObject], { description: 'Upgrade and replacement work orders the caller may see, by planned start (at most 500)' })
  @CallableBy(MaintenancePermissions.readMaintenance)
  workOrders(@CurrentPrincipal() principal: Principal, @Args() args: MaintenanceListArgs) {
    return this.service.workOrders(principal, args);
  }

  @Mutation(() => WorkOrderObject, { description: 'Records a planned version upgrade or hardware replacement of a sensor (by default with its maintenance window)' })
  @CallableBy(MaintenancePermissions.manageMaintenance)
  recordWorkOrder(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The work order' }) input: RecordWorkOrderInput) {
    return this.service.recordWorkOrder(principal, input);
  }

  @Mutation(() => WorkOrderObject, { description: 'Records how a work order ended (once); CANCELLED also cancels its maintenance window' })
  @CallableBy(MaintenancePermissions.manageMaintenance)
  recordWorkOrderOutcome(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The outcome' }) input: RecordWorkOrderOutcomeInput) {
    return this.service.recordOutcome(principal, input);
  }
}
