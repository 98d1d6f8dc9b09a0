import { Module } from '@nestjs/common';
import { HealthModule } from '@kanshi/observability';

@Module({ imports: [HealthModule] })
export class GatewayModule {}
