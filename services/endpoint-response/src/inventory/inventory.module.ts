import { Module } from '@nestjs/common';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { ContractsConsumer } from './contracts.consumer';
import { CustomerContractsRepository } from './customer-contracts.repository';
import { EndpointCountService } from './endpoint-count.service';
import { InventorySyncService } from './inventory-sync.service';
import { VerdictEndpointsConsumer } from './verdict-endpoints.consumer';

// The endpoint inventory's upkeep: EDR syncs, endpoints learned from alerts, which customers are
// MDR, and the daily managed-endpoint count for billing.
@Module({
  imports: [EndpointsModule],
  providers: [CustomerContractsRepository, ContractsConsumer, InventorySyncService, VerdictEndpointsConsumer, EndpointCountService],
  exports: [InventorySyncService, EndpointCountService],
})
export class InventoryModule {}
