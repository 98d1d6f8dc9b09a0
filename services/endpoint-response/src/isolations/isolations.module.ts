import { Module } from '@nestjs/common';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { IsolationStateMachine } from './isolation-state-machine';
import { IsolationsConsumer } from './isolations.consumer';
import { IsolationsRepository } from './isolations.repository';
import { IsolationsResolver } from './isolations.resolver';
import { IsolationsService } from './isolations.service';

@Module({
  imports: [EndpointsModule],
  providers: [
    IsolationsRepository,
    IsolationsService,
    IsolationsResolver,
    IsolationStateMachine,
    IsolationsConsumer,
  ],
  exports: [IsolationStateMachine],
})
export class IsolationsModule {}
