import { Module } from '@nestjs/common';
import { CustomerTermsModule } from '../customer-terms/customer-terms.module';
import { RosterModule } from '../roster/roster.module';
import { TimelineModule } from '../timeline/timeline.module';
import { IncidentLifecycle } from './incident-lifecycle';
import { IncidentOpener } from './incident-opener';
import { IncidentSla } from './incident-sla';
import { IncidentWriter } from './incident-writer';
import { IncidentsRepository } from './incidents.repository';
import { CustomerIncidentsResolver, IncidentsResolver } from './incidents.resolver';
import { IncidentsService } from './incidents.service';
import { SlaScheduler } from './sla-scheduler';

// The incident workflow. Exported seams for the other modules (docs/incident.md): IncidentTimeline
// (through TimelineModule), IncidentLifecycle, IncidentSla, IncidentWriter, IncidentOpener,
// CustomerTerms (through CustomerTermsModule), DutyRoster (through RosterModule).
@Module({
  imports: [TimelineModule, CustomerTermsModule, RosterModule],
  providers: [IncidentsRepository, IncidentWriter, IncidentLifecycle, IncidentSla, IncidentOpener, IncidentsService, IncidentsResolver, CustomerIncidentsResolver, SlaScheduler],
  exports: [IncidentsService, IncidentsRepository, IncidentWriter, IncidentLifecycle, IncidentSla, IncidentOpener, TimelineModule, CustomerTermsModule, RosterModule],
})
export class IncidentsModule {}
