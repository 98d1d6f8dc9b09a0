import { Module } from '@nestjs/common';
import { IntakeModule } from '../intake/intake.module';
import { SensorsModule } from '../sensors/sensors.module';
import { StorageModule } from '../storage.module';
import { QuarantineResolver } from './quarantine.resolver';
import { QuarantineService } from './quarantine.service';

@Module({ imports: [StorageModule, SensorsModule, IntakeModule], providers: [QuarantineService, QuarantineResolver] })
export class QuarantineModule {}
