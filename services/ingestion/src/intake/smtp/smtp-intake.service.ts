import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { counter, createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../../config';
import { LivenessService } from '../../liveness/liveness.service';
import { IntakeSensor, SensorDirectory } from '../../sensors/sensor-directory.service';
import { splitBody } from '../pipeline/body-records';
import { IngestService } from '../pipeline/ingest.service';
import { IntakeRecord } from '../pipeline/intake-record';
import { IntakeKey, mailIntakeKey } from '../idempotency/intake-key';
import { IntakeRequestsRepository } from '../idempotency/intake-requests.repository';
import { replayed } from '../idempotency/replayed';
import { AddressList } from './address-list';
import { senderAuthenticated } from './authentication-results';
import { extractAlertTexts, IntakeMail, SmtpListener } from './smtp-listener';

const unauthenticated = counter('kanshi_ingest_mail_sender_unauthenticated_total', 'Mail attributed by sender refused: no SPF/DKIM/DMARC pass from a trusted relay in Authentication-Results');
const senderRefused = counter('kanshi_ingest_mail_sender_refused_total', 'Mail from an allow-listed sender refused: not through a trusted relay nor from the sensor');

// The SMTP listener for alert mail, wired to the intake pipeline: started with the application,
// stopped (sessions in progress answered) before it closes its pool.
@Injectable()
export class SmtpIntakeService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = createLogger('SmtpIntakeService');
  private listener?: SmtpListener<IntakeSensor>;
  private readonly senderRelays: AddressList;
  private readonly trustedAuthservIds: string[];
  private listeningPort: number | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly sensors: SensorDirectory,
    private readonly ingest: IngestService,
    private readonly liveness: LivenessService,
    private readonly requests: IntakeRequestsRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
  ) {
    this.senderRelays = AddressList.parse(config.SMTP_SENDER_RELAYS);
    this.trustedAuthservIds = config.MAIL_TRUSTED_AUTHSERV_IDS.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
  }

  get port(): number | null {
    return this.listeningPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    // schema-only boot (supergraph composition): no database, nothing to run
    if (!this.ds.isInitialized) return;
    const c = this.config;
    if (!c.SMTP_PORT) return;
    this.listener = new SmtpListener<IntakeSensor>({
      host: c.SMTP_HOST,
      port: c.SMTP_PORT,
      domain: c.INTAKE_MAIL_DOMAIN,
      tls: c.SMTP_TLS_CERT_PATH && c.SMTP_TLS_KEY_PATH ? { cert: readFileSync(c.SMTP_TLS_CERT_PATH), key: readFileSync(c.SMTP_TLS_KEY_PATH) } : undefined,
      authenticateRecipient: ({ sensorId, token }) => this.sensors.authenticate(sensorId, token),
      allowSender: (from, remoteAddress) => this.senderSensor(from, remoteAddress),
      senderVerified: (sensor, mail, remoteAddress) => this.senderVerified(sensor, mail.headerLines, remoteAddress),
      onMail: (sensor, mail) => this.mailReceived(sensor, mail),
      onError: (err, context) => this.log.warn({ err, ...context }, 'SMTP listener recovered from an error'),
    });
    this.listeningPort = (await this.listener.start()).port;
    this.log.info({ port: this.listeningPort, domain: c.INTAKE_MAIL_DOMAIN }, 'SMTP intake listening');
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
    // what the last mails told about their sensors
    await this.liveness.flush();
  }

  // The alert is in the body or an attachment, split into records as every body is. A mail sent
  // again (its Message-ID and alert text, or without a Message-ID its alert text, seen within
  // SMTP_DEDUP_HOURS) is accepted and stores nothing: an MTA that lost our 250 resends.
  async mailReceived(sensor: IntakeSensor, mail: IntakeMail): Promise<void> {
    const records: IntakeRecord[] = [];
    const texts = extractAlertTexts(mail);
    const key = mailIntakeKey({ sensorId: sensor.sensorId, messageId: mail.messageId, alertTexts: texts.map((t) => t.text), raw: mail.raw, hours: this.config.SMTP_DEDUP_HOURS });
    if (await this.requests.find(sensor.sensorId, key.key)) return this.resent(sensor, mail, key);
    // beside attachments, the body may be only a note to the reader: kept if nothing gave an alert
    const note = texts.length > 1 && texts[0].fromBody;
    for (const { text, fromBody } of texts) {
      for (const record of splitBody({ kind: 'mail', text, product: sensor.product })) records.push({ text: record.text, receivedAt: mail.receivedAt, note: note && fromBody });
    }
    if (records.length === 0) {
      records.push({ bytes: mail.raw, receivedAt: mail.receivedAt, rejectedReason: 'mail carries no alert text (empty body, no text, JSON or CSV attachment)' });
    }
    const outcome = await this.ingest.ingest(sensor, records, { transport: 'smtp', remoteAddress: mail.remoteAddress }, (em, results) => {
      const accepted = results.filter((r) => r.status === 'accepted').length;
      return this.requests.claim(em, { sensorId: sensor.sensorId, customerId: sensor.customerId, transport: 'smtp', key, status: 250, body: { accepted, quarantined: results.length - accepted } });
    });
    // the same mail, over another connection at the same time, was stored first
    if (outcome.held) this.resent(sensor, mail, key);
  }

  private resent(sensor: IntakeSensor, mail: IntakeMail, key: IntakeKey): void {
    replayed.inc({ transport: 'smtp', key: key.source });
    this.liveness.seen(sensor.sensorId, new Date(), false);
    this.log.info({ sensorId: sensor.sensorId, messageId: mail.messageId, remoteAddress: mail.remoteAddress }, 'alert mail sent again: accepted, nothing stored twice');
  }

  // A mail attributed by its sender through a relay must carry the relay's verdict: the topmost
  // Authentication-Results (the relay's own, RFC 8601), from a trusted authserv-id, with an SPF,
  // DKIM or DMARC pass. A device mailing from the address bound to its sensor is attributed by
  // that address, as its syslog is.
  senderVerified(sensor: IntakeSensor, headerLines: ReadonlyArray<{ key: string; line: string }>, remoteAddress: string): boolean {
    if (!this.senderRelays.has(remoteAddress)) return true;
    if (senderAuthenticated(headerLines, this.trustedAuthservIds)) return true;
    unauthenticated.inc();
    this.log.warn({ remoteAddress, sensorId: sensor.sensorId }, 'mail from an allow-listed sender refused: no SPF, DKIM or DMARC pass from a trusted relay (MAIL_TRUSTED_AUTHSERV_IDS) in Authentication-Results');
    return false;
  }

  // The sensor a mail without a token is for: its sender must be allow-listed on the sensor, and
  // the mail must come through a trusted relay or from the sensor's own address (anybody can
  // write any MAIL FROM). Refused like a wrong token, so nothing tells which senders are listed.
  private async senderSensor(from: string, remoteAddress: string): Promise<IntakeSensor | null> {
    const sensor = await this.sensors.bySender(from);
    if (!sensor) return null;
    // from the sensor's own (provider-bound) address, or through a relay whose verdict is checked after DATA
    if ((await this.sensors.bySourceIp(remoteAddress))?.sensorId === sensor.sensorId) return sensor;
    if (this.senderRelays.has(remoteAddress) && this.trustedAuthservIds.length > 0) return sensor;
    senderRefused.inc();
    this.log.warn({ from, remoteAddress, sensorId: sensor.sensorId }, 'mail from an allow-listed sender refused: it came neither through a trusted relay (SMTP_SENDER_RELAYS) nor from the sensor');
    return null;
  }
}
