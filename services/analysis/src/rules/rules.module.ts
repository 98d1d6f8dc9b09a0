import { Module } from '@nestjs/common';
import { RulesRepository } from './rules.repository';
import { RulesResolver } from './rules.resolver';
import { RulesService } from './rules.service';

@Module({ providers: [RulesRepository, RulesService, RulesResolver] })
export class RulesModule {}
