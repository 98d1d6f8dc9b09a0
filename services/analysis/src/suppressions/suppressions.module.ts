import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '@kanshi/calendar';
import { SuppressionMatcher } from './suppression-matcher';
import { SuppressionsRepository } from './suppressions.repository';
import { SuppressionsResolver } from './suppressions.resolver';
import { SuppressionsService } from './suppressions.service';

// Exported for the verdict side: SuppressionMatcher `match(customerId, alert, at)` and
// SuppressionsService `recordHit(tx, suppressionId, alertId, customerId, at?)`.
@Module({
  providers: [SuppressionsRepository, SuppressionsService, SuppressionsResolver, SuppressionMatcher, { provide: Clock, useClass: SystemClock }],
  exports: [SuppressionMatcher, SuppressionsService],
})
export class SuppressionsModule {}
