import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { EndpointsConsumer } from './endpoints.consumer';
import { IsolationOutcomesConsumer } from './isolation-outcomes.consumer';
import { IsolationTriggers } from './isolation-triggers';
import { IncidentIsolationsResolver, IsolationsResolver } from './isolations.resolver';
import { IsolationsRepository } from './isolations.repository';
import { IsolationsService } from './isolations.service';

// Endpoint isolation for incidents: the endpoint read model, requests (automatic by prior agreement,
// an analyst's, the customer's approval), endpoint-response's outcomes, releases.
@Module({
  imports: [IncidentsModule, NotificationsModule],
  providers: [IsolationsRepository, IsolationsService, IsolationTriggers, EndpointsConsumer, IsolationOutcomesConsumer, IncidentIsolationsResolver, IsolationsResolver],
  exports: [IsolationsService],
})
export class IsolationsModule {}
