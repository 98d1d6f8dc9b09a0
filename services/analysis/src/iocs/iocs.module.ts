import { Module } from '@nestjs/common';
import { IocMatcher } from './ioc-matcher';
import { IocsRepository } from './iocs.repository';
import { IocsResolver } from './iocs.resolver';
import { IocsService } from './iocs.service';

// IocMatcher is exported for enrichment: `match(customerId, ecs, at)`.
@Module({ providers: [IocsRepository, IocsService, IocsResolver, IocMatcher], exports: [IocMatcher] })
export class IocsModule {}
