import { Module } from '@nestjs/common';
import { SensorsModule } from '../sensors/sensors.module';
import { MaintenanceGate } from './maintenance-gate';
import { MaintenanceRepository } from './maintenance.repository';
import { MaintenanceWindowsResolver, WorkOrdersResolver } from './maintenance.resolver';
import { MaintenanceService } from './maintenance.service';

// Maintenance windows and work orders (issue 11 item 5). IntakeModule takes MaintenanceGate as its
// AvailabilityGate.
@Module({
  imports: [SensorsModule],
  providers: [MaintenanceRepository, MaintenanceService, MaintenanceGate, MaintenanceWindowsResolver, WorkOrdersResolver],
  exports: [MaintenanceGate, MaintenanceRepository],
})
export class MaintenanceModule {}
