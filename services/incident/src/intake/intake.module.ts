import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { SensorsModule } from '../sensors/sensors.module';
import { AvailabilityGate, NeverSuppress } from './availability-gate';
import { IntakeConsumer } from './intake.consumer';
import { IntakeRepository } from './intake.repository';
import { IntakeResolver } from './intake.resolver';
import { IntakeService } from './intake.service';
import { VerdictIntake } from './verdict-intake';

// Verdicts and sensor liveness in, incidents out. The maintenance-window module replaces the
// AvailabilityGate provider here (docs/incident.md).
@Module({
  imports: [IncidentsModule, SensorsModule],
  providers: [IntakeRepository, VerdictIntake, IntakeConsumer, IntakeService, IntakeResolver, { provide: AvailabilityGate, useClass: NeverSuppress }],
  exports: [VerdictIntake],
})
export class IntakeModule {}
