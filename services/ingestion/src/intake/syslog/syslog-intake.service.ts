import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { counter, createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../../config';
import { LivenessService } from '../../liveness/liveness.service';
import { QuarantineRepository } from '../../quarantine/quarantine.repository';
import { IntakeSensor, SensorDirectory } from '../../sensors/sensor-directory.service';
import { IngestService } from '../pipeline/ingest.service';
import { DropReporter } from './drop-reporter';
import { SyslogCut, SyslogRejection } from './syslog-delivery';
import { SyslogListener, SyslogListeningPorts } from './syslog-listener';

// Unknown sources are recorded (an operator needs to see which device is knocking), but at most
// once per address per interval, so a flood from them cannot become a flood of writes.
const UNKNOWN_SOURCE_INTERVAL_MS = 10_000;
const unknownSuppressed = counter('kanshi_ingest_unknown_source_suppressed_total', 'Records from unknown sources counted but not quarantined', ['transport']);
const cutFrames = counter('kanshi_ingest_syslog_cut_frames_total', 'Syslog TCP/TLS frames begun and never ended when their connection closed (reset, listener stop, idle timeout, sender close)', ['transport', 'cause']);
const CUT_MESSAGES: Record<SyslogCut['cause'], string> = {
  reset: 'syslog connection reset inside a frame: the partial frame is quarantined; what the sender had not yet written is lost to it (syslog over TCP has no acknowledgement)',
  stop: 'syslog listener stopping (restart or shutdown) inside a frame: the partial last line is taken as it is, and may be cut',
  idle: 'syslog connection closed idle inside a frame: the partial last line is taken as it is, and may be cut',
  end: 'syslog sender closed its connection inside a frame: a last line without trailer is taken as it is, a cut octet-counted frame is quarantined',
};

// The syslog listeners (UDP/TCP/TLS) of the service, wired to the intake pipeline: started with
// the application, stopped (pending batches delivered) before it closes its pool.
@Injectable()
export class SyslogIntakeService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = createLogger('SyslogIntakeService');
  private listener?: SyslogListener<IntakeSensor>;
  private readonly lastUnknown = new Map<string, number>();
  private readonly drops = new DropReporter((fields, message) => this.log.warn(fields, message));
  private listening: SyslogListeningPorts | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly sensors: SensorDirectory,
    private readonly ingest: IngestService,
    private readonly liveness: LivenessService,
    private readonly quarantine: QuarantineRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
  ) {}

  get ports(): SyslogListeningPorts | null {
    return this.listening;
  }

  async onApplicationBootstrap(): Promise<void> {
    // schema-only boot (supergraph composition): no database, nothing to run
    if (!this.ds.isInitialized) return;
    const c = this.config;
    if (!c.SYSLOG_UDP_PORT && !c.SYSLOG_TCP_PORT && !c.SYSLOG_TLS_PORT) return;
    this.listener = new SyslogListener<IntakeSensor>({
      host: c.SYSLOG_HOST,
      udpPort: c.SYSLOG_UDP_PORT || undefined,
      tcpPort: c.SYSLOG_TCP_PORT || undefined,
      tlsPort: c.SYSLOG_TLS_PORT || undefined,
      tls: c.SYSLOG_TLS_PORT
        ? { cert: readFileSync(c.SYSLOG_TLS_CERT_PATH!), key: readFileSync(c.SYSLOG_TLS_KEY_PATH!), ca: c.SYSLOG_TLS_CA_PATH ? readFileSync(c.SYSLOG_TLS_CA_PATH) : undefined, requestCert: Boolean(c.SYSLOG_TLS_CA_PATH) }
        : undefined,
      batchMaxRecords: c.SYSLOG_BATCH_MAX_RECORDS,
      batchMaxDelayMs: c.SYSLOG_BATCH_MAX_DELAY_MS,
      // the sensor directory's cache is the only one: a changed sensor is seen at once
      resolveSensor: (address) => this.sensors.bySourceIp(address),
      resolveByCertificate: (fingerprint) => this.sensors.byCertificate(fingerprint),
      peekSensor: (address) => this.sensors.peekBySourceIp(address),
      onRecords: async (sensor, records, meta) => {
        await this.ingest.ingest(sensor, records, meta);
      },
      onRejected: (rejection) => this.rejected(rejection),
      onError: (err, meta) => this.log.warn({ err, ...meta }, 'syslog listener recovered from an error'),
      onDropped: (drop) => this.drops.report(drop),
      onCutOff: (cut) => this.cutOff(cut),
    });
    this.listening = await this.listener.start();
    this.log.info(this.listening, 'syslog listening');
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
    this.drops.flush();
    // what the last batches told about their sensors
    await this.liveness.flush();
  }

  private cutOff(cut: SyslogCut<IntakeSensor>): void {
    cutFrames.inc({ transport: cut.transport, cause: cut.cause });
    this.log.warn({ transport: cut.transport, remoteAddress: cut.remoteAddress, sensorId: cut.sensor.sensorId, cause: cut.cause, bytes: cut.bytes }, CUT_MESSAGES[cut.cause]);
  }

  private async rejected(r: SyslogRejection<IntakeSensor>): Promise<void> {
    const sensor = r.sensor;
    if (!sensor) {
      const now = Date.now();
      const last = this.lastUnknown.get(r.remoteAddress);
      if (last !== undefined && now - last < UNKNOWN_SOURCE_INTERVAL_MS) {
        unknownSuppressed.inc({ transport: r.transport });
        return;
      }
      if (this.lastUnknown.size > 10_000) this.lastUnknown.clear();
      this.lastUnknown.set(r.remoteAddress, now);
    }
    await this.quarantine.insertNow([
      {
        receivedAt: new Date(),
        sensorId: sensor?.sensorId ?? null,
        customerId: sensor?.customerId ?? null,
        product: sensor?.product ?? null,
        transport: r.transport,
        remoteAddress: r.remoteAddress,
        reason: r.reason,
        raw: r.sample,
      },
    ]);
  }
}
