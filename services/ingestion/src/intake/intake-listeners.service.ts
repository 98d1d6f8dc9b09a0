import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { counter, createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../config';
import { LivenessService } from '../liveness/liveness.service';
import { splitHttpBody } from '../parsers/body-splitter';
import { DOCUMENT_PRODUCTS } from '../parsers/parse';
import { QuarantineRepository } from '../quarantine/quarantine.repository';
import { IntakeSensor, SensorDirectory } from '../sensors/sensor-directory.service';
import { IngestService, IntakeRecord } from './pipeline/ingest.service';
import { SensorRef } from './sensor-ref';
import { extractAlertTexts, IntakeMail, SmtpIntakeServer } from './smtp/smtp-listener';
import { AddressList } from './smtp/address-list';
import { DropReporter } from './syslog/drop-reporter';
import { SyslogListeningPorts, SyslogRejection, SyslogServer } from './syslog/syslog-listener';

// Unknown sources are recorded (an operator needs to see which device is knocking), but at most
// once per address per interval, so a flood from them cannot become a flood of writes.
const UNKNOWN_SOURCE_INTERVAL_MS = 10_000;
const senderRefused = counter('kanshi_ingest_mail_sender_refused_total', 'Mail from an allow-listed sender refused: not through a trusted relay nor from the sensor');
const unknownSuppressed = counter('kanshi_ingest_unknown_source_suppressed_total', 'Records from unknown sources counted but not quarantined', ['transport']);

// The syslog (UDP/TCP/TLS) and SMTP listeners of the service, wired to the intake pipeline:
// started with the application, stopped (pending batches delivered) before it closes its pool.
@Injectable()
export class IntakeListeners implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = createLogger('IntakeListeners');
  private syslog?: SyslogServer;
  private smtp?: SmtpIntakeServer;
  private readonly lastUnknown = new Map<string, number>();
  private readonly drops = new DropReporter((fields, message) => this.log.warn(fields, message));
  private readonly senderRelays: AddressList;
  private listening: { syslog: SyslogListeningPorts | null; smtpPort: number | null } = { syslog: null, smtpPort: null };

  constructor(
    private readonly ds: DataSource,
    private readonly sensors: SensorDirectory,
    private readonly ingest: IngestService,
    private readonly liveness: LivenessService,
    private readonly quarantine: QuarantineRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
  ) {
    this.senderRelays = AddressList.parse(config.SMTP_SENDER_RELAYS);
  }

  get ports() {
    return this.listening;
  }

  async onApplicationBootstrap(): Promise<void> {
    // schema-only boot (supergraph composition): no database, nothing to run
    if (!this.ds.isInitialized) return;
    const c = this.config;
    if (c.SYSLOG_UDP_PORT || c.SYSLOG_TCP_PORT || c.SYSLOG_TLS_PORT) {
      this.syslog = new SyslogServer({
        host: c.SYSLOG_HOST,
        udpPort: c.SYSLOG_UDP_PORT || undefined,
        tcpPort: c.SYSLOG_TCP_PORT || undefined,
        tlsPort: c.SYSLOG_TLS_PORT || undefined,
        tls: c.SYSLOG_TLS_PORT
          ? { cert: readFileSync(c.SYSLOG_TLS_CERT_PATH!), key: readFileSync(c.SYSLOG_TLS_KEY_PATH!), ca: c.SYSLOG_TLS_CA_PATH ? readFileSync(c.SYSLOG_TLS_CA_PATH) : undefined, requestCert: Boolean(c.SYSLOG_TLS_CA_PATH) }
          : undefined,
        batchMaxRecords: c.SYSLOG_BATCH_MAX_RECORDS,
        batchMaxDelayMs: c.SYSLOG_BATCH_MAX_DELAY_MS,
        resolveSensor: (address) => this.sensors.bySourceIp(address),
        onRecords: async (sensor, records, meta) => {
          await this.ingest.ingest(sensor as IntakeSensor, records.map((r) => ({ bytes: r.bytes, receivedAt: r.receivedAt })), meta);
        },
        onRejected: (rejection) => this.syslogRejected(rejection),
        onError: (err, meta) => this.log.warn({ err, ...meta }, 'syslog listener recovered from an error'),
        onDropped: (drop) => this.drops.report(drop),
      });
      this.listening.syslog = await this.syslog.start();
      this.log.info(this.listening.syslog, 'syslog listening');
    }
    if (c.SMTP_PORT) {
      this.smtp = new SmtpIntakeServer({
        host: c.SMTP_HOST,
        port: c.SMTP_PORT,
        domain: c.INTAKE_MAIL_DOMAIN,
        tls: c.SMTP_TLS_CERT_PATH && c.SMTP_TLS_KEY_PATH ? { cert: readFileSync(c.SMTP_TLS_CERT_PATH), key: readFileSync(c.SMTP_TLS_KEY_PATH) } : undefined,
        authenticateRecipient: ({ sensorId, token }) => this.sensors.authenticate(sensorId, token),
        allowSender: (from, remoteAddress) => this.senderSensor(from, remoteAddress),
        onMail: (sensor, mail) => this.mailReceived(sensor, mail),
        onError: (err, context) => this.log.warn({ err, ...context }, 'SMTP listener recovered from an error'),
      });
      this.listening.smtpPort = (await this.smtp.start()).port;
      this.log.info({ port: this.listening.smtpPort, domain: c.INTAKE_MAIL_DOMAIN }, 'SMTP intake listening');
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.syslog?.stop(), this.smtp?.stop()]);
    this.drops.flush();
    // what the last batches told about their sensors
    await this.liveness.flush();
  }

  // The alert is in the body or an attachment. JSON products' texts are documents (a FireEye
  // notification with a greeting around it is one record); line-based products' are lines.
  async mailReceived(sensorRef: SensorRef, mail: IntakeMail): Promise<void> {
    const sensor = sensorRef as IntakeSensor;
    const texts = extractAlertTexts(mail);
    const records: IntakeRecord[] = [];
    for (const text of texts) {
      if (DOCUMENT_PRODUCTS.has(sensor.product)) {
        const trimmed = text.trimStart();
        const split = trimmed.startsWith('{') || trimmed.startsWith('[') ? splitHttpBody(Buffer.from(text)) : null;
        if (split && 'records' in split) records.push(...split.records.map((t) => ({ text: t, receivedAt: mail.receivedAt })));
        else records.push({ text, receivedAt: mail.receivedAt });
      } else {
        for (const line of text.split(/\r\n|\n|\r/)) if (line.trim() !== '') records.push({ text: line, receivedAt: mail.receivedAt });
      }
    }
    if (records.length === 0) {
      records.push({ bytes: mail.raw, receivedAt: mail.receivedAt, rejectedReason: 'mail carries no alert text (empty body, no text, JSON or CSV attachment)' });
    }
    await this.ingest.ingest(sensor, records, { transport: 'smtp', remoteAddress: mail.remoteAddress });
  }

  // The sensor a mail without a token is for: its sender must be allow-listed on the sensor, and
  // the mail must come through a trusted relay or from the sensor's own address (anybody can
  // write any MAIL FROM). Refused like a wrong token, so nothing tells which senders are listed.
  private async senderSensor(from: string, remoteAddress: string): Promise<IntakeSensor | null> {
    const sensor = await this.sensors.bySender(from);
    if (!sensor) return null;
    if (this.senderRelays.has(remoteAddress) || (await this.sensors.bySourceIp(remoteAddress))?.sensorId === sensor.sensorId) return sensor;
    senderRefused.inc();
    this.log.warn({ from, remoteAddress, sensorId: sensor.sensorId }, 'mail from an allow-listed sender refused: it came neither through a trusted relay (SMTP_SENDER_RELAYS) nor from the sensor');
    return null;
  }

  private async syslogRejected(r: SyslogRejection): Promise<void> {
    const sensor = r.sensor as IntakeSensor | undefined;
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
