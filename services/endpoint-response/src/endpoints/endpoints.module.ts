import { Module } from '@nestjs/common';
import { EndpointsRepository } from './endpoints.repository';
import { CustomerEndpointsResolver, EndpointsResolver } from './endpoints.resolver';
import { EndpointsService } from './endpoints.service';

@Module({ providers: [EndpointsRepository, EndpointsService, EndpointsResolver, CustomerEndpointsResolver], exports: [EndpointsService, EndpointsRepository] })
export class EndpointsModule {}
