import { Module } from '@nestjs/common';
import { EntitlementsConsumer } from './entitlements.consumer';
import { EntitlementsRepository } from './entitlements.repository';

@Module({ providers: [EntitlementsRepository, EntitlementsConsumer], exports: [EntitlementsRepository] })
export class EntitlementsModule {}
