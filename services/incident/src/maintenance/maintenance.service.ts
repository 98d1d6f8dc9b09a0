import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { MaintenanceReasonValue, MaintenanceWindowChanged, WorkOrderKindValue, WorkOrderRecorded } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { TenantDirectory } from '@kanshi/platform';
import { SensorsRepository } from '../sensors/sensors.repository';
import { CreateMaintenanceWindowInput, MaintenanceListArgs, MaintenanceWindowsArgs, RecordWorkOrderInput, RecordWorkOrderOutcomeInput, UpdateMaintenanceWindowInput } from './maintenance.inputs';
import { MaintenanceError } from './maintenance.errors';
import { MaintenancePermissions } from './maintenance.permissions';
import { MaintenanceFilter, MaintenanceRepository, MaintenanceWindow, WorkOrder } from './maintenance.repository';

const DAY = 86_400_000;
const MAX_DAYS = 31;

// The window a work order plans for its sensor.
const WINDOW_REASON: Record<WorkOrderKindValue, MaintenanceReasonValue> = { VERSION_UPGRADE: 'VERSION_UPGRADE', HARDWARE_REPLACEMENT: 'DEVICE_REPLACEMENT' };

// Maintenance windows and upgrade / replacement work orders (issue 11 item 5). The provider's staff
// plan windows per customer or per sensor and record work orders; a sensor going DOWN inside a
// live window opens no availability incident (MaintenanceGate). Every change is published through
// the outbox (incident.maintenance-window.changed.v1, incident.work-order.recorded.v1) for the
// monthly report. Customers and partners read their own; another tenant's is NOT_FOUND.
@Injectable()
export class MaintenanceService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: MaintenanceRepository,
    private readonly sensors: SensorsRepository,
    private readonly directory: TenantDirectory,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async createWindow(principal: Principal, input: CreateMaintenanceWindowInput): Promise<MaintenanceWindow> {
    authorize(principal, MaintenancePermissions.manageMaintenance);
    await this.directory.visibleCustomerOrThrow(principal, input.customerId);
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    checkPeriod(startsAt, endsAt, 'endsAt');
    return this.ds.transaction(async (em) => {
      if (input.sensorId) await this.sensorOfCustomer(em, input.customerId, input.sensorId, 'sensorId');
      const w = await this.repo.insertWindow(
        em,
        { customerId: input.customerId, sensorId: input.sensorId ?? null, reason: input.reason, startsAt, endsAt, note: input.note ?? '', workOrderId: null, createdBy: principal.subject },
        this.clock.now(),
      );
      await this.publishWindow(em, w);
      return w;
    });
  }

  async updateWindow(principal: Principal, input: UpdateMaintenanceWindowInput): Promise<MaintenanceWindow> {
    authorize(principal, MaintenancePermissions.manageMaintenance);
    return this.ds.transaction(async (em) => {
      const w = await this.lockVisibleWindow(em, principal, input.id);
      if (w.cancelledAt) throw new MaintenanceError('WINDOW_CANCELLED', `maintenance window ${w.id} was cancelled at ${w.cancelledAt.toISOString()}; plan a new one`, 'id');
      const next = {
        ...w,
        reason: input.reason ?? w.reason,
        startsAt: input.startsAt ? new Date(input.startsAt) : w.startsAt,
        endsAt: input.endsAt ? new Date(input.endsAt) : w.endsAt,
        note: input.note ?? w.note,
      };
      checkPeriod(next.startsAt, next.endsAt, input.endsAt ? 'endsAt' : 'startsAt');
      const saved = await this.repo.saveWindow(em, next, this.clock.now());
      await this.publishWindow(em, saved);
      return saved;
    });
  }

  // Cancelling a cancelled window changes nothing.
  async cancelWindow(principal: Principal, id: string): Promise<MaintenanceWindow> {
    authorize(principal, MaintenancePermissions.manageMaintenance);
    return this.ds.transaction(async (em) => {
      const w = await this.lockVisibleWindow(em, principal, id);
      return w.cancelledAt ? w : this.cancel(em, w, principal.subject);
    });
  }

  async window(principal: Principal, id: string): Promise<MaintenanceWindow | null> {
    authorize(principal, MaintenancePermissions.readMaintenance);
    if (!UUID.test(id)) return null;
    return this.repo.window(this.ds.manager, id, this.directory.condition(scopeOf(principal), 'w.customer_id', 2));
  }

  async windows(principal: Principal, args: MaintenanceWindowsArgs): Promise<MaintenanceWindow[]> {
    authorize(principal, MaintenancePermissions.readMaintenance);
    return this.repo.windows(this.ds.manager, { ...(await this.filter(principal, args)), includeCancelled: args.includeCancelled ?? false });
  }

  async recordWorkOrder(principal: Principal, input: RecordWorkOrderInput): Promise<WorkOrder> {
    authorize(principal, MaintenancePermissions.manageMaintenance);
    await this.directory.visibleCustomerOrThrow(principal, input.customerId);
    const plannedStart = new Date(input.plannedStart);
    const plannedEnd = new Date(input.plannedEnd);
    checkPeriod(plannedStart, plannedEnd, 'plannedEnd');
    const upgrade = input.kind === 'VERSION_UPGRADE';
    return this.ds.transaction(async (em) => {
      await this.sensorOfCustomer(em, input.customerId, input.sensorId, 'sensorId');
      const now = this.clock.now();
      const fromVersion = upgrade ? (input.fromVersion ?? (await this.sensors.versionOf(em, input.sensorId))) : null;
      let order = await this.repo.insertWorkOrder(
        em,
        {
          customerId: input.customerId,
          sensorId: input.sensorId,
          kind: input.kind,
          plannedStart,
          plannedEnd,
          engineer: input.engineer,
          fromVersion,
          toVersion: upgrade ? (input.toVersion ?? null) : null,
          oldSerial: upgrade ? null : (input.oldSerial ?? null),
          newSerial: upgrade ? null : (input.newSerial ?? null),
          note: input.note ?? '',
          createdBy: principal.subject,
        },
        now,
      );
      if (input.createMaintenanceWindow ?? true) {
        const w = await this.repo.insertWindow(
          em,
          { customerId: order.customerId, sensorId: order.sensorId, reason: WINDOW_REASON[order.kind], startsAt: plannedStart, endsAt: plannedEnd, note: workOrderNote(order), workOrderId: order.id, createdBy: principal.subject },
          now,
        );
        await this.publishWindow(em, w);
        order = await this.repo.saveWorkOrder(em, { ...order, windowId: w.id }, now);
      }
      await this.publishWorkOrder(em, order);
      return order;
    });
  }

  // The outcome, once. CANCELLED also cancels the window the work order planned.
  async recordOutcome(principal: Principal, input: RecordWorkOrderOutcomeInput): Promise<WorkOrder> {
    authorize(principal, MaintenancePermissions.manageMaintenance);
    return this.ds.transaction(async (em) => {
      const o = await this.repo.lockWorkOrder(em, input.id);
      if (!o || !(await this.visible(principal, o.customerId))) throw new MaintenanceError('WORK_ORDER_NOT_FOUND', `work order ${input.id} not found`, 'id');
      if (o.outcome) throw new MaintenanceError('OUTCOME_ALREADY_RECORDED', `work order ${o.id} already ended ${o.outcome} at ${o.completedAt?.toISOString() ?? '?'}`, 'outcome');
      const now = this.clock.now();
      const upgrade = o.kind === 'VERSION_UPGRADE';
      const saved = await this.repo.saveWorkOrder(
        em,
        {
          ...o,
          outcome: input.outcome,
          outcomeNotes: input.notes ?? null,
          completedAt: input.completedAt ? new Date(input.completedAt) : now,
          outcomeBy: principal.subject,
          toVersion: upgrade ? (input.toVersion ?? o.toVersion) : o.toVersion,
          newSerial: upgrade ? o.newSerial : (input.newSerial ?? o.newSerial),
        },
        now,
      );
      if (input.outcome === 'CANCELLED' && o.windowId) {
        const w = await this.repo.lockWindow(em, o.windowId);
        if (w && !w.cancelledAt) await this.cancel(em, w, principal.subject);
      }
      await this.publishWorkOrder(em, saved);
      return saved;
    });
  }

  async workOrders(principal: Principal, args: MaintenanceListArgs): Promise<WorkOrder[]> {
    authorize(principal, MaintenancePermissions.readMaintenance);
    return this.repo.workOrders(this.ds.manager, await this.filter(principal, args));
  }

  private async cancel(em: EntityManager, w: MaintenanceWindow, by: string): Promise<MaintenanceWindow> {
    const saved = await this.repo.saveWindow(em, { ...w, cancelledAt: this.clock.now(), cancelledBy: by }, this.clock.now());
    await this.publishWindow(em, saved);
    return saved;
  }

  private async filter(principal: Principal, args: MaintenanceListArgs): Promise<MaintenanceFilter> {
    if (args.customerId) await this.directory.visibleCustomerOrThrow(principal, args.customerId);
    return {
      scope: this.directory.condition(scopeOf(principal), 'w.customer_id', 1),
      customerId: args.customerId,
      sensorId: args.sensorId,
      from: args.from ? new Date(args.from) : undefined,
      to: args.to ? new Date(args.to) : undefined,
    };
  }

  private async visible(principal: Principal, customerId: string): Promise<boolean> {
    try {
      await this.directory.visibleCustomerOrThrow(principal, customerId);
      return true;
    } catch {
      return false;
    }
  }

  private async lockVisibleWindow(em: EntityManager, principal: Principal, id: string): Promise<MaintenanceWindow> {
    const w = UUID.test(id) ? await this.repo.lockWindow(em, id) : null;
    if (!w || !(await this.visible(principal, w.customerId))) throw new MaintenanceError('MAINTENANCE_WINDOW_NOT_FOUND', `maintenance window ${id} not found`, 'id');
    return w;
  }

  private async sensorOfCustomer(em: EntityManager, customerId: string, sensorId: string, field: string): Promise<void> {
    const sensor = await this.sensors.byId(em, sensorId);
    if (!sensor || sensor.customerId !== customerId) throw new MaintenanceError('SENSOR_NOT_OF_CUSTOMER', `sensor ${sensorId} is not a sensor of customer ${customerId}`, field);
  }

  private publishWindow(em: EntityManager, w: MaintenanceWindow): Promise<unknown> {
    return this.outbox.add(
      em,
      MaintenanceWindowChanged,
      { windowId: w.id, sensorId: w.sensorId, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(), reason: w.reason, cancelled: w.cancelledAt !== null, note: w.note || null, workOrderId: w.workOrderId },
      { customerId: w.customerId },
    );
  }

  private publishWorkOrder(em: EntityManager, o: WorkOrder): Promise<unknown> {
    return this.outbox.add(
      em,
      WorkOrderRecorded,
      {
        workOrderId: o.id,
        sensorId: o.sensorId,
        kind: o.kind,
        plannedStart: o.plannedStart.toISOString(),
        plannedEnd: o.plannedEnd.toISOString(),
        engineer: o.engineer,
        outcome: o.outcome,
        completedAt: o.completedAt?.toISOString() ?? null,
        fromVersion: o.fromVersion,
        toVersion: o.toVersion,
        oldSerial: o.oldSerial,
        newSerial: o.newSerial,
        notes: o.outcomeNotes,
        windowId: o.windowId,
      },
      { customerId: o.customerId },
    );
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkPeriod(start: Date, end: Date, field: string): void {
  if (end <= start) throw new MaintenanceError('BAD_PERIOD', `the end (${end.toISOString()}) must be after the start (${start.toISOString()})`, field);
  if (end.getTime() - start.getTime() > MAX_DAYS * DAY) throw new MaintenanceError('BAD_PERIOD', `a maintenance period lasts at most ${MAX_DAYS} days`, field);
}

function workOrderNote(o: WorkOrder): string {
  const what =
    o.kind === 'VERSION_UPGRADE'
      ? `version upgrade${o.fromVersion ? ` from ${o.fromVersion}` : ''}${o.toVersion ? ` to ${o.toVersion}` : ''}`
      : `device replacement${o.oldSerial ? ` of ${o.oldSerial}` : ''}${o.newSerial ? ` by ${o.newSerial}` : ''}`;
  return `work order: ${what} (${o.engineer})${o.note ? `; ${o.note}` : ''}`;
}
