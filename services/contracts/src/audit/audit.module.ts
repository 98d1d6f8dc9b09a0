import { Module } from '@nestjs/common';
import { AuditConsumer } from './audit.consumer';
import { AuditRepository } from './audit.repository';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';
import { DataPurgeScheduler } from './data-purge.scheduler';

// The audit trail and the record of data purges, fed by every service's AUDIT events.
@Module({ providers: [AuditRepository, AuditService, AuditResolver, AuditConsumer, DataPurgeScheduler], exports: [DataPurgeScheduler] })
export class AuditModule {}
