import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { SensorsModule } from '../sensors/sensors.module';
import { MaintenanceGate } from '../maintenance/maintenance-gate';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { AvailabilityGate } from './availability-gate';
import { IntakeConsumer } from './intake.consumer';
import { IntakeRepository } from './intake.repository';
import { IntakeResolver } from './intake.resolver';
import { IntakeService } from './intake.service';
import { MaintenanceEndedCheck } from './maintenance-ended';
import { VerdictIntake } from './verdict-intake';

// Verdicts and sensor liveness in, incidents out. The AvailabilityGate is the maintenance module's
// (a sensor DOWN inside a maintenance window opens no incident; docs/incident.md).
@Module({
  imports: [IncidentsModule, SensorsModule, MaintenanceModule],
  providers: [IntakeRepository, VerdictIntake, IntakeConsumer, IntakeService, IntakeResolver, MaintenanceEndedCheck, { provide: AvailabilityGate, useExisting: MaintenanceGate }],
  exports: [VerdictIntake],
})
export class IntakeModule {}
