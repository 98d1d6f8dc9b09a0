// Alerts to provider staff: endpoint-response's response.connector.unhealthy.v1 (a customer's EDR
// connector or FireEye appliance whose credentials the vendor refused) becomes one mail to the
// SOC's operations mailbox on a real SMTP relay, retried when the relay refuses it.
import { randomUUID } from 'node:crypto';
import { ConnectorUnhealthyBody, EventEnvelope } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { eventually, LocalSmtpRelay, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { StaffAlertsService } from './staff-alerts.service';

jest.setTimeout(60_000);

const relay = new LocalSmtpRelay();
let kit: SubgraphKit;
const STAFF = `soc-ops-${randomUUID().slice(0, 8)}@provider.example`;

beforeAll(async () => {
  await relay.start();
  kit = await startSubgraph({
    service: 'incident',
    schema: 'incident',
    loadConfig: (env) => loadConfig({ ...env, SMTP_URL: relay.url, STAFF_ALERT_EMAIL: STAFF, MAIL_RETRY_DELAY_SECONDS: '1', JOBS_POLL_INTERVAL_MS: '500' }),
    module: (config, opts) => AppModule.forRoot(config, opts),
  });
  await kit.app.get(JobQueue).start();
});
afterAll(async () => {
  await kit?.close();
  await relay.stop();
});

function unhealthy(body: Partial<ConnectorUnhealthyBody> = {}): EventEnvelope<ConnectorUnhealthyBody> {
  return {
    eventId: randomUUID(),
    subject: 'response.connector.unhealthy.v1',
    occurredAt: new Date().toISOString(),
    customerId: randomUUID(),
    body: {
      kind: 'EDR_CONNECTOR',
      connectorId: randomUUID(),
      product: 'CROWDSTRIKE_FALCON',
      baseUrl: 'https://api.crowdstrike.com',
      message: 'CrowdStrike Falcon refused the credentials: Failed to issue access token - Not Authorized',
      at: new Date().toISOString(),
      ...body,
    },
  } as EventEnvelope<ConnectorUnhealthyBody>;
}

const handle = (e: EventEnvelope<ConnectorUnhealthyBody>) => kit.ds.transaction((em) => kit.app.get(StaffAlertsService).onConnectorUnhealthy(em, e));
const mailsAbout = (id: string) => relay.accepted(STAFF).filter((m) => (m.parsed.text ?? '').includes(id));

it('mails provider staff the vendor’s message, whose connector it is and what to do', async () => {
  const e = unhealthy();
  await handle(e);
  const [mail] = await eventually(async () => {
    const found = mailsAbout(e.body.connectorId);
    if (!found.length) throw new Error('no staff mail yet');
    return found;
  }, { timeoutMs: 20_000 });
  expect(mail.to).toEqual([STAFF]);
  expect(mail.parsed.subject).toBe(`[Kanshi] EDR connector CROWDSTRIKE_FALCON of customer ${e.customerId} refused its credentials`);
  expect(mail.parsed.text).toContain('Failed to issue access token - Not Authorized');
  expect(mail.parsed.text).toContain('isolations of its endpoints fail');
  expect(mail.parsed.text).toContain('configureEdrConnector');
  expect(mail.parsed.messageId).toBe(`<${e.eventId}@kanshi>`);
  // nothing for the customer's contacts: staff only
  expect(relay.accepted().filter((m) => (m.parsed.text ?? '').includes(e.body.connectorId)).every((m) => m.to.join() === STAFF)).toBe(true);
});

it('retries a staff mail the relay refuses, and names a FireEye appliance with its own fix', async () => {
  const e = unhealthy({ kind: 'FIREEYE_APPLIANCE', product: 'FIREEYE_NX', baseUrl: 'https://nx01.customer.example', message: 'FireEye https://nx01.customer.example refused the credentials: Authentication failed: invalid user name or password' });
  relay.refuseNext(1, { to: STAFF });
  await handle(e);
  const [mail] = await eventually(async () => {
    const found = mailsAbout(e.body.connectorId);
    if (!found.length) throw new Error('no staff mail yet');
    return found;
  }, { timeoutMs: 30_000 });
  expect(relay.tried(STAFF).filter((m) => (m.parsed.text ?? '').includes(e.body.connectorId))).toHaveLength(2);
  expect(mail.parsed.subject).toBe(`[Kanshi] FireEye appliance FIREEYE_NX of customer ${e.customerId} refused its credentials`);
  expect(mail.parsed.text).toContain('configureFireEyeAppliance');
  expect(mailsAbout(e.body.connectorId)).toHaveLength(1);
});
