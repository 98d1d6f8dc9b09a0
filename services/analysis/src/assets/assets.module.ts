import { Module } from '@nestjs/common';
import { AssetContextService } from './asset-context.service';
import { AssetsRepository } from './assets.repository';
import { AssetsResolver } from './assets.resolver';
import { AssetsService } from './assets.service';

// AssetContextService is exported for the verdict pipeline (and, with issue 12, endpoint-response events).
@Module({ providers: [AssetsRepository, AssetsService, AssetsResolver, AssetContextService], exports: [AssetContextService] })
export class AssetsModule {}
