import { Module } from '@nestjs/common';
import { AssetContextService } from './asset-context.service';
import { AssetsRepository } from './assets.repository';
import { AssetsResolver } from './assets.resolver';
import { AssetsService } from './assets.service';
import { InventoryConsumer } from './inventory.consumer';

// AssetContextService is exported for the verdict pipeline; InventoryConsumer feeds it
// endpoint-response's inventory (response.endpoint.changed.v1).
@Module({ providers: [AssetsRepository, AssetsService, AssetsResolver, AssetContextService, InventoryConsumer], exports: [AssetContextService] })
export class AssetsModule {}
