import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '@kanshi/calendar';
import { AlertGrouper } from './alert-grouper';
import { AlertGroupsRepository } from './alert-groups.repository';
import { AlertGroupsResolver } from './alert-groups.resolver';
import { AlertGroupsService } from './alert-groups.service';

// AlertGrouper is exported for the verdict side: `assign(tx, input)`, `assignMany(tx, inputs)`,
// `raiseSeverity(tx, groupId, severity)`; AlertGroupsService for `Verdict.group`
// (`visibleByIds(principal, ids)`).
@Module({
  providers: [AlertGroupsRepository, AlertGroupsService, AlertGroupsResolver, AlertGrouper, { provide: Clock, useClass: SystemClock }],
  exports: [AlertGrouper, AlertGroupsService],
})
export class AlertGroupsModule {}
