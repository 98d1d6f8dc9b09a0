import { Module } from '@nestjs/common';
import { RenderFailuresRepository } from './render-failures.repository';
import { RenderFailuresResolver } from './render-failures.resolver';
import { RenderFailures } from './render-failures.service';

@Module({ providers: [RenderFailuresRepository, RenderFailures, RenderFailuresResolver], exports: [RenderFailures] })
export class RenderFailuresModule {}
