import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { AuthGuard, JwtVerifier, authSettingsOf } from '@kanshi/auth';
import { PlatformConfig } from '@kanshi/config';
import { createServiceDataSource } from '@kanshi/database';
import { StreamName } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { ConsumerHost, NatsBus, Outbox, OutboxRelay } from '@kanshi/messaging';
import { createLogger, HealthModule, HealthRegistry } from '@kanshi/observability';
import { AuditInterceptor } from './audit/audit.interceptor';
import { auditTransactions } from './audit/audit-transactions';
import { CustomerDataCatalogue } from './data-purge/customer-data';
import { CustomerDataPurger } from './data-purge/customer-data-purger';
import { TenantDirectory } from './tenant-directory';

import { PLATFORM_CONFIG, PLATFORM_OPTIONS } from './platform-tokens';

export { PLATFORM_CONFIG, PLATFORM_OPTIONS };

export interface PlatformOptions {
  service: string;
  schema: string;
  config: PlatformConfig;
  entities: MixedList<Function | string | EntitySchema>;
  // Streams this service publishes to (consumed streams are ensured by the consumer host).
  publishes: StreamName[];
  // The tables holding customers' data, purged when a contract's retention has passed.
  customerData: CustomerDataCatalogue;
  // Tests and tools may boot a service without running its consumers or relay.
  startMessaging?: boolean;
  // Only build the GraphQL schema (supergraph composition): no database, no NATS.
  schemaOnly?: boolean;
}

// Starts consumers, the outbox relay and the job queue once every module has registered its
// handlers and jobs, and stops them in the right order: stop taking work, finish what is in hand,
// drain NATS, close the pool.
@Injectable()
export class PlatformLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly log = createLogger('PlatformLifecycle');
  constructor(
    @Inject(PLATFORM_OPTIONS) private readonly opts: PlatformOptions,
    private readonly ds: DataSource,
    private readonly bus: NatsBus,
    private readonly consumers: ConsumerHost,
    private readonly relay: OutboxRelay,
    private readonly jobs: JobQueue,
    private readonly health: HealthRegistry,
  ) {
    health.register('postgres', async () => {
      await ds.query('SELECT 1');
    });
    health.register('nats', () => bus.ping());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureStreams(this.opts.publishes);
    if (this.opts.startMessaging === false) return;
    await this.consumers.start();
    await this.relay.start();
    await this.jobs.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.health.markShuttingDown();
    await this.consumers.stop();
    await this.jobs.stop();
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.drain().catch((err) => this.log.warn({ err }, 'NATS drain failed'));
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

@Global()
@Module({})
export class PlatformModule {
  static forService(given: PlatformOptions): DynamicModule {
    // Every service publishes the audit entries of its operations (and its data purges) to AUDIT.
    const opts: PlatformOptions = { ...given, publishes: [...new Set<StreamName>([...given.publishes, 'AUDIT'])] };
    const outbox = new Outbox(opts.schema);
    return {
      module: PlatformModule,
      imports: [HealthModule],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: opts },
        { provide: PLATFORM_CONFIG, useValue: opts.config },
        {
          provide: DataSource,
          useFactory: async () => {
            const ds = createServiceDataSource({ schema: opts.schema, url: opts.config.DATABASE_URL, entities: opts.entities, poolSize: opts.config.DATABASE_POOL_SIZE });
            auditTransactions(ds, outbox, opts.service);
            return opts.schemaOnly ? ds : ds.initialize();
          },
        },
        {
          provide: NatsBus,
          useFactory: () =>
            opts.schemaOnly ? NatsBus.offline(opts.config.NATS_NAMESPACE) : NatsBus.connect({ url: opts.config.NATS_URL, name: `kanshi-${opts.service}`, namespace: opts.config.NATS_NAMESPACE, streamReplicas: opts.config.NATS_STREAM_REPLICAS }),
        },
        { provide: Outbox, useValue: outbox },
        {
          provide: OutboxRelay,
          inject: [DataSource, NatsBus],
          useFactory: (ds: DataSource, bus: NatsBus) => new OutboxRelay(ds, bus, { schema: opts.schema, databaseUrl: opts.config.DATABASE_URL }),
        },
        {
          // Scheduled and retried work, in the service's own `<schema>_jobs` schema.
          provide: JobQueue,
          inject: [DataSource, OutboxRelay],
          useFactory: (ds: DataSource, relay: OutboxRelay) => {
            const jobs = new JobQueue(ds, {
              schema: `${opts.schema}_jobs`,
              pollIntervalMs: opts.config.JOBS_POLL_INTERVAL_MS,
              cronCheckSeconds: opts.config.JOBS_CRON_CHECK_SECONDS,
              stopTimeoutMs: Math.max(1000, opts.config.SHUTDOWN_TIMEOUT_MS - 2000),
            });
            relay.schedulePrune(jobs, opts.config.OUTBOX_PRUNE_CRON);
            return jobs;
          },
        },
        {
          provide: ConsumerHost,
          inject: [DataSource, NatsBus],
          useFactory: (ds: DataSource, bus: NatsBus) => new ConsumerHost(ds, bus, { schema: opts.schema, ackWaitMs: opts.config.CONSUMER_ACK_WAIT_MS }),
        },
        {
          provide: TenantDirectory,
          inject: [DataSource, ConsumerHost],
          useFactory: (ds: DataSource, host: ConsumerHost) => {
            // contracts is the source of the directory; it reads its own customer table instead.
            if (opts.service === 'contracts') return new TenantDirectory(ds, opts.schema, { table: `"${opts.schema}".customer`, customerColumn: 'id', partnerColumn: 'partner_id' });
            const directory = new TenantDirectory(ds, opts.schema);
            directory.registerConsumer(host, opts.service);
            return directory;
          },
        },
        {
          provide: JwtVerifier,
          useFactory: () =>
            new JwtVerifier(authSettingsOf(opts.config)),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        CustomerDataPurger,
        ...(opts.schemaOnly ? [] : [PlatformLifecycle]),
      ],
      exports: [PLATFORM_CONFIG, PLATFORM_OPTIONS, DataSource, NatsBus, Outbox, OutboxRelay, JobQueue, ConsumerHost, TenantDirectory, JwtVerifier],
    };
  }
}
