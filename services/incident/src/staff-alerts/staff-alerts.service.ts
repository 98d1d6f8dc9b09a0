import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ConnectorUnhealthyBody, EventEnvelope } from '@kanshi/events';
import { defineJob, JobDefinition, JobQueue } from '@kanshi/jobs';
import { createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { MailAdapter, OutgoingMail } from '../adapters/mail.adapter';
import { IncidentConfig } from '../config';

export type StaffAlertJobData = { eventId: string; customerId: string | null; body: ConnectorUnhealthyBody };

const log = createLogger('staff-alerts');

const LABEL: Record<ConnectorUnhealthyBody['kind'], string> = { EDR_CONNECTOR: 'EDR connector', FIREEYE_APPLIANCE: 'FireEye appliance' };
const FIX: Record<ConnectorUnhealthyBody['kind'], string> = {
  EDR_CONNECTOR: 'Ask the customer for a new API credential, then store it with configureEdrConnector and check it with testEdrConnector.',
  FIREEYE_APPLIANCE: 'Ask the customer for the Web Services API account’s current password, then store it with configureFireEyeAppliance and check it with testFireEyeAppliance.',
};

// The staff mail about a connector the vendor refused (what it is, whose, the vendor's message,
// what stops working, what to do). English: the SOC's working language for operations mail.
export function staffAlertMail(to: string, d: StaffAlertJobData): OutgoingMail {
  const b = d.body;
  const what = `${LABEL[b.kind]} ${b.product}`;
  return {
    to,
    subject: `[Kanshi] ${what} of customer ${d.customerId ?? 'unknown'} refused its credentials`,
    text: [
      `The ${what} of customer ${d.customerId ?? 'unknown'} (${b.baseUrl}, id ${b.connectorId}) was refused by the vendor at ${b.at}:`,
      '',
      `  ${b.message}`,
      '',
      b.kind === 'EDR_CONNECTOR'
        ? 'Until it is fixed its detections are not pulled, its inventory is not synced and isolations of its endpoints fail.'
        : 'Until it is fixed its alerts are not pulled (alert mail still arrives).',
      FIX[b.kind],
    ].join('\n'),
    messageId: `<${d.eventId}@kanshi>`,
    language: 'en',
  };
}

// Alerts to provider staff: endpoint-response says a customer's EDR connector or FireEye appliance
// turned UNHEALTHY (response.connector.unhealthy.v1, once per turn); a mail to STAFF_ALERT_EMAIL,
// queued in the consumer's transaction (the inbox makes a redelivery queue nothing twice) and
// retried with back-off like customers' mail. The Message-ID is the event's: a resend after a
// crash is the same message.
@Injectable()
export class StaffAlertsService implements OnModuleInit {
  readonly mailJob: JobDefinition<StaffAlertJobData>;

  constructor(
    private readonly jobs: JobQueue,
    private readonly mail: MailAdapter,
    @Inject(PLATFORM_CONFIG) private readonly config: IncidentConfig,
  ) {
    this.mailJob = defineJob<StaffAlertJobData>('staff-alert-mail', { retryLimit: config.MAIL_RETRY_LIMIT, retryDelaySeconds: config.MAIL_RETRY_DELAY_SECONDS, retryBackoff: true, expireInSeconds: 300 });
  }

  onModuleInit(): void {
    this.jobs.work(this.mailJob, async (d) => {
      const accepted = await this.mail.send(staffAlertMail(this.config.STAFF_ALERT_EMAIL, d));
      log.info({ customerId: d.customerId, kind: d.body.kind, product: d.body.product, response: accepted.response }, 'staff alerted: connector refused its credentials');
    });
  }

  async onConnectorUnhealthy(em: EntityManager, e: EventEnvelope<ConnectorUnhealthyBody>): Promise<void> {
    log.error({ customerId: e.customerId, kind: e.body.kind, product: e.body.product, message: e.body.message.slice(0, 300) }, 'a connector’s credentials were refused; mailing provider staff');
    await this.jobs.send(this.mailJob, { eventId: e.eventId, customerId: e.customerId ?? null, body: e.body }, { em });
  }
}
