import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { EndpointResponseConfig } from '../config';
import { DetectionPullService, PullSource, sourceKey } from './detection-pull.service';
import { DetectionsRepository } from './detections.repository';

// Every DETECTION_PULL_INTERVAL_MS one tick (once across replicas) queues one pull job per source;
// a source's job is a singleton (at most one queued per source), retried with back-off.
export const DetectionPullTickJob = defineJob('detection-pull-tick', { retryLimit: 1, retryDelaySeconds: 5, expireInSeconds: 120, policy: 'stately' });
export const DetectionPullJob = defineJob<{ source: PullSource }>('detection-pull', { retryLimit: 5, retryDelaySeconds: 10, retryBackoff: true, expireInSeconds: 600, policy: 'stately' });

// Detections pulled from the EDR consoles (the connectors' pullDetections) and from customers'
// FireEye NX/CM appliances (Web Services API), handed to ingestion as response.detection.pulled.v1.
// The connectors (EdrConnectorFactory, CredentialsCipher) come from the global ConnectorsModule.
@Module({
  providers: [DetectionsRepository, DetectionPullService],
  exports: [DetectionPullService, DetectionsRepository],
})
export class DetectionsModule implements OnModuleInit {
  constructor(
    private readonly service: DetectionPullService,
    private readonly jobs: JobQueue,
    @Inject(PLATFORM_CONFIG) private readonly config: EndpointResponseConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(DetectionPullTickJob, async () => {
      for (const source of await this.service.sources()) {
        await this.jobs.send(DetectionPullJob, { source }, { singletonKey: sourceKey(source) });
      }
    });
    this.jobs.work(DetectionPullJob, (data) => this.service.pull(data.source));
    this.jobs.every(DetectionPullTickJob, this.config.DETECTION_PULL_INTERVAL_MS, { atStart: true });
  }
}
