import { Module } from '@nestjs/common';
import { AlertsRepository } from './alerts/alerts.repository';
import { EntitlementsModule } from './entitlements/entitlements.module';
import { QuarantineRepository } from './quarantine/quarantine.repository';
import { RawEventsRepository } from './raw-events/raw-events.repository';
import { RetentionService } from './raw-events/retention.service';

// The tables intake writes and the GraphQL features read: one module, so intake and the
// features (which replay through intake) do not import each other.
@Module({
  imports: [EntitlementsModule],
  providers: [RawEventsRepository, AlertsRepository, QuarantineRepository, RetentionService],
  exports: [RawEventsRepository, AlertsRepository, QuarantineRepository, RetentionService],
})
export class StorageModule {}
