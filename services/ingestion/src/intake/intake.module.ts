import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../config';
import { LivenessModule } from '../liveness/liveness.module';
import { SensorDirectory } from '../sensors/sensor-directory.service';
import { SensorsModule } from '../sensors/sensors.module';
import { StorageModule } from '../storage.module';
import { installIngestBodyParsers } from './http/http-body';
import { IngestController } from './http/ingest.controller';
import { IntakeRequestPurge } from './idempotency/intake-request-purge.service';
import { IntakeRequestsRepository } from './idempotency/intake-requests.repository';
import { IngestService } from './pipeline/ingest.service';
import { LogStreamAdapter } from './pipeline/log-stream.adapter';
import { ParserPool } from './pipeline/parser-pool.service';
import { SmtpIntakeService } from './smtp/smtp-intake.service';
import { SyslogIntakeService } from './syslog/syslog-intake.service';

@Module({
  imports: [SensorsModule, StorageModule, LivenessModule],
  controllers: [IngestController],
  providers: [IngestService, ParserPool, LogStreamAdapter, SyslogIntakeService, SmtpIntakeService, IntakeRequestsRepository, IntakeRequestPurge],
  exports: [IngestService],
})
export class IntakeModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
    private readonly sensors: SensorDirectory,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addContentTypeParser) return;
    installIngestBodyParsers(fastify, { ingestMaxBytes: this.config.INGEST_MAX_BODY_BYTES, defaultMaxBytes: fastify.initialConfig.bodyLimit ?? 1024 * 1024 }, {
      authenticate: async (sensorId, authorization) => {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
        return m !== null && (await this.sensors.authenticate(sensorId, m[1])) !== null;
      },
      maxConcurrentBodies: this.config.INGEST_MAX_CONCURRENT_BODIES,
    });
  }
}
