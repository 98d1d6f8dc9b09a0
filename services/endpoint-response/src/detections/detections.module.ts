import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { JobQueue } from '@kanshi/jobs';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { EndpointResponseConfig } from '../config';
import { ConnectorEvents } from '../connectors/connector-events';
import { DetectionPullService, PullSource, sourceKey } from './detection-pull.service';
import { DetectionPullJob, DetectionPullTickJob } from './detection-pull.job';
import { DetectionsRepository } from './detections.repository';
import { FireEyeAppliancesResolver } from './fireeye-appliances.resolver';
import { FireEyeAppliancesService } from './fireeye-appliances.service';

// Detections pulled from the EDR consoles (the connectors' pullDetections) and from customers'
// FireEye NX/CM appliances (Web Services API), handed to ingestion as response.detection.pulled.v1.
// The connectors (EdrConnectorFactory, CredentialsCipher) come from the global ConnectorsModule.
// Provider staff configure the appliances with configureFireEyeAppliance (FireEyeAppliancesResolver).
@Module({
  providers: [DetectionsRepository, DetectionPullService, FireEyeAppliancesService, FireEyeAppliancesResolver],
  exports: [DetectionPullService, DetectionsRepository],
})
export class DetectionsModule implements OnModuleInit {
  constructor(
    private readonly service: DetectionPullService,
    private readonly jobs: JobQueue,
    private readonly connectorEvents: ConnectorEvents,
    @Inject(PLATFORM_CONFIG) private readonly config: EndpointResponseConfig,
  ) {}

  onModuleInit(): void {
    // A connector just configured with a sensor is pulled at once (the pull skips one without).
    this.connectorEvents.onConfigured(async ({ customerId, product }) => {
      const source: PullSource = { kind: 'edr', customerId, product };
      await this.jobs.send(DetectionPullJob, { source }, { singletonKey: sourceKey(source) });
    });
    this.jobs.work(DetectionPullTickJob, async () => {
      for (const source of await this.service.sources()) {
        await this.jobs.send(DetectionPullJob, { source }, { singletonKey: sourceKey(source) });
      }
    });
    this.jobs.work(DetectionPullJob, (data) => this.service.pull(data.source));
    this.jobs.every(DetectionPullTickJob, this.config.DETECTION_PULL_INTERVAL_MS, { atStart: true });
  }
}
