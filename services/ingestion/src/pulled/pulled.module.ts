import { Module } from '@nestjs/common';
import { IntakeModule } from '../intake/intake.module';
import { SensorsModule } from '../sensors/sensors.module';
import { PulledDetectionsConsumer } from './pulled-detections.consumer';

// The pulled source: detections endpoint-response pulled from vendor APIs (docs/ingestion.md).
@Module({
  imports: [IntakeModule, SensorsModule],
  providers: [PulledDetectionsConsumer],
})
export class PulledModule {}
