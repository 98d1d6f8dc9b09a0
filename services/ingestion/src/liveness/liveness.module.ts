import { Module } from '@nestjs/common';
import { EntitlementsModule } from '../entitlements/entitlements.module';
import { LivenessRepository } from './liveness.repository';
import { LivenessService } from './liveness.service';

@Module({ imports: [EntitlementsModule], providers: [LivenessRepository, LivenessService], exports: [LivenessService] })
export class LivenessModule {}
