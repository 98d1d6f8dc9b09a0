import { DynamicModule, Global, Module, OnModuleInit, Provider } from '@nestjs/common';
import { EDR_PRODUCTS } from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { EndpointResponseConfig } from '../config';
import { ConnectorEvents } from './connector-events';
import { ConnectorRuntime } from './connector-runtime';
import { ConnectorSettings } from './connector-settings';
import { ConnectorsRepository } from './connectors.repository';
import { ConnectorsResolver } from './connectors.resolver';
import { ConnectorsService } from './connectors.service';
import { CredentialsCipher } from './credentials-cipher';
import { CredentialsRotationService } from './credentials-rotation.service';
import { EdrConnectorFactory } from './edr-connector.factory';

export const CredentialsRotationJob = defineJob('edr-credentials-rotation', { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 600, policy: 'stately' });

export function connectorSettingsOf(c: EndpointResponseConfig): ConnectorSettings {
  const per = {
    CROWDSTRIKE_FALCON: c.EDR_MAX_CONCURRENCY_CROWDSTRIKE_FALCON,
    CARBON_BLACK: c.EDR_MAX_CONCURRENCY_CARBON_BLACK,
    CYBEREASON: c.EDR_MAX_CONCURRENCY_CYBEREASON,
    FIREEYE_HX: c.EDR_MAX_CONCURRENCY_FIREEYE_HX,
  };
  return {
    timeoutMs: c.EDR_HTTP_TIMEOUT_MS,
    maxRetries: c.EDR_MAX_RETRIES,
    retryBaseMs: c.EDR_RETRY_BASE_MS,
    retryMaxMs: c.EDR_RETRY_MAX_MS,
    maxRateLimitWaits: c.EDR_MAX_RATE_LIMIT_WAITS,
    maxRetryAfterMs: c.EDR_MAX_RETRY_AFTER_MS,
    breakerFailures: c.EDR_BREAKER_FAILURES,
    breakerCooldownMs: c.EDR_BREAKER_COOLDOWN_MS,
    maxConcurrency: Object.fromEntries(EDR_PRODUCTS.map((p) => [p, per[p] || c.EDR_MAX_CONCURRENCY])) as ConnectorSettings['maxConcurrency'],
  };
}

const PROVIDERS: Provider[] = [
  { provide: CredentialsCipher, inject: [PLATFORM_CONFIG], useFactory: (c: EndpointResponseConfig) => CredentialsCipher.fromEnvironment(c) },
  { provide: ConnectorRuntime, inject: [PLATFORM_CONFIG], useFactory: (c: EndpointResponseConfig) => new ConnectorRuntime(connectorSettingsOf(c)) },
  ConnectorsRepository,
  { provide: ConnectorEvents, inject: [PLATFORM_CONFIG], useFactory: (c: EndpointResponseConfig) => new ConnectorEvents(c.EDR_REFRESH_ON_CONFIGURE) },
  EdrConnectorFactory,
  ConnectorsService,
  ConnectorsResolver,
  CredentialsRotationService,
];

// EDR connectors: the four adapters, customers' encrypted credentials, the factory the isolation,
// inventory and detection-pull modules build connectors with (global: every module that talks to
// a customer's EDR injects EdrConnectorFactory), and the provider staff's GraphQL.
@Global()
@Module({})
export class ConnectorsModule implements OnModuleInit {
  constructor(
    private readonly rotation: CredentialsRotationService,
    private readonly jobs: JobQueue,
  ) {}

  // `factory`: a test seam (a spec's own connectors); by default the vendor adapters.
  static forRoot(factory?: EdrConnectorFactory): DynamicModule {
    return {
      module: ConnectorsModule,
      providers: factory ? PROVIDERS.map((p) => (p === EdrConnectorFactory ? { provide: EdrConnectorFactory, useValue: factory } : p)) : PROVIDERS,
      exports: [EdrConnectorFactory, ConnectorRuntime, ConnectorsRepository, CredentialsCipher, ConnectorEvents],
    };
  }

  onModuleInit(): void {
    this.jobs.work(CredentialsRotationJob, async () => {
      await this.rotation.rotate();
    });
    this.jobs.every(CredentialsRotationJob, 6 * 3600_000, { atStart: true });
  }
}
