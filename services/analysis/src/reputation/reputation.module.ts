import { Module } from '@nestjs/common';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { AnalysisConfig } from '../config';
import { ReputationRepository } from './reputation.repository';
import { ReputationService } from './reputation.service';
import { VirusTotalClient } from './virustotal.client';

@Module({
  providers: [
    ReputationRepository,
    ReputationService,
    {
      provide: VirusTotalClient,
      inject: [PLATFORM_CONFIG],
      useFactory: (c: AnalysisConfig) => new VirusTotalClient({ baseUrl: c.VIRUSTOTAL_URL, apiKey: c.VIRUSTOTAL_API_KEY ?? '', timeoutMs: c.VIRUSTOTAL_TIMEOUT_MS }),
    },
  ],
  exports: [ReputationService],
})
export class ReputationModule {}
