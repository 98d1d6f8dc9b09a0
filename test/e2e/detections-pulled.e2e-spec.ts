// Detections pulled from vendor APIs, end to end on the real database and NATS: endpoint-response
// pulls the local CrowdStrike console and a local FireEye NX Web Services API, ingestion (booted in
// the same NATS namespace) stores what it is handed as alerts of the right sensor, once.
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createServiceApp } from '@kanshi/platform';
import { eventually, FakeCrowdStrikeServer, FakeEdrTenant, FakeFireEyeWsServer, testPlatformEnv } from '@kanshi/testing';
import { bootIngestion, createCustomer, freePort, registerSensor, TestService } from '../../services/ingestion/src/int-spec-helpers';
import { AppModule } from '../../services/endpoint-response/src/app.module';
import { loadConfig } from '../../services/endpoint-response/src/config';
import { CredentialsCipher } from '../../services/endpoint-response/src/connectors/credentials-cipher';
import { secretContext } from '../../services/endpoint-response/src/connectors/edr-connector.factory';
import { applianceSecretContext, DetectionPullService, sourceKey } from '../../services/endpoint-response/src/detections/detection-pull.service';

jest.setTimeout(120_000);

const NAMESPACE = `pull${randomBytes(3).toString('hex')}`;
const DOMAIN = 'intake.test.kanshi.local';
const cs = new FakeCrowdStrikeServer();
const fe = new FakeFireEyeWsServer();
let ingestion: TestService;
let smtpPort: number;
let er: { app: NestFastifyApplication; ds: DataSource; pulls: DetectionPullService } | undefined;

async function bootEndpointResponse() {
  const config = loadConfig(testPlatformEnv({ NATS_NAMESPACE: NAMESPACE, DETECTION_PULL_INTERVAL_MS: '3600000', JOBS_POLL_INTERVAL_MS: '500', LOG_LEVEL: 'warn', EDR_MAX_RETRIES: '0' }));
  const app = await createServiceApp(AppModule.forRoot(config, {}), { service: 'endpoint-response', port: 0 });
  await app.listen(0, '127.0.0.1');
  return { app, ds: app.get(DataSource), pulls: app.get(DetectionPullService) };
}

beforeAll(async () => {
  await Promise.all([cs.start(), fe.start()]);
  smtpPort = await freePort();
  ingestion = await bootIngestion({ NATS_NAMESPACE: NAMESPACE, SMTP_PORT: String(smtpPort), INTAKE_MAIL_DOMAIN: DOMAIN, SMTP_SENDER_RELAYS: '127.0.0.1' });
  er = await bootEndpointResponse();
});
afterAll(async () => {
  await er?.app.close();
  await ingestion?.close();
  await Promise.all([cs.stop(), fe.stop()]);
});

async function restart(): Promise<void> {
  await er!.app.close();
  er = await bootEndpointResponse();
}

async function falconConnector(customerId: string, tenant: FakeEdrTenant, sensorId: string): Promise<void> {
  const cipher = er!.app.get(CredentialsCipher);
  await er!.ds.query(
    `INSERT INTO endpoint_response.edr_connector (customer_id, product, base_url, client_id, secret_ciphertext, sensor_id) VALUES ($1, 'CROWDSTRIKE_FALCON', $2, $3, $4, $5)`,
    [customerId, cs.url, tenant.clientId, cipher.encrypt(tenant.secret, secretContext(customerId, 'CROWDSTRIKE_FALCON')), sensorId],
  );
}

const alertsOf = (sensorId: string): Promise<{ vendor_event_id: string; customer_id: string }[]> =>
  ingestion.ds.query(`SELECT vendor_event_id, customer_id FROM ingestion.alert WHERE sensor_id = $1 ORDER BY vendor_event_id`, [sensorId]);

async function settled(sensorId: string, n: number) {
  return eventually(async () => {
    const rows = await alertsOf(sensorId);
    if (rows.length < n) throw new Error(`${rows.length} alerts of ${n}`);
    // the outbox is drained: nothing of this service left to relay
    const [{ pending }] = await er!.ds.query(`SELECT count(*)::int AS pending FROM endpoint_response.outbox WHERE published_at IS NULL`);
    if (pending > 0) throw new Error('outbox not drained');
    return rows;
  }, { timeoutMs: 20_000 });
}

describe('CrowdStrike detections pulled', () => {
  it('become alerts of the connector’s sensor exactly once, across repeated pulls and a restart', async () => {
    const c = await createCustomer(ingestion);
    const sensor = await registerSensor(ingestion, c.customerId, { product: 'CROWDSTRIKE_FALCON', name: 'Falcon' });
    const tenant = cs.addTenant({ hosts: [{ hostName: 'PC-ACCT-011' }] });
    const agentId = [...tenant.hosts.keys()][0];
    await falconConnector(c.customerId, tenant, sensor.sensorId);
    cs.addAlert(tenant.id, agentId);
    cs.addAlert(tenant.id, agentId);

    expect(await er!.pulls.pull({ kind: 'edr', customerId: c.customerId, product: 'CROWDSTRIKE_FALCON' })).toBe(2);
    expect(await er!.pulls.pull({ kind: 'edr', customerId: c.customerId, product: 'CROWDSTRIKE_FALCON' })).toBe(0);
    const cursor = (await er!.ds.query(`SELECT cursor FROM endpoint_response.detection_pull_cursor WHERE source = $1`, [sourceKey({ kind: 'edr', customerId: c.customerId, product: 'CROWDSTRIKE_FALCON' })]))[0].cursor;
    expect(cursor).toBeTruthy();

    await restart();
    // the cursor survived the restart: nothing old is pulled again, a new alert is
    expect(await er!.pulls.pull({ kind: 'edr', customerId: c.customerId, product: 'CROWDSTRIKE_FALCON' })).toBe(0);
    cs.addAlert(tenant.id, agentId, { updatedAt: new Date(Date.now() + 1000) });
    // The restarted service queues a pull of its own at start (its job worker polls every 500 ms),
    // which may take the new alert first; the two pulls share the cursor's row lock, so whichever
    // comes second finds nothing. Either way the alert is stored once (below).
    expect([0, 1]).toContain(await er!.pulls.pull({ kind: 'edr', customerId: c.customerId, product: 'CROWDSTRIKE_FALCON' }));

    const rows = await settled(sensor.sensorId, 3);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.customer_id === c.customerId)).toBe(true);
    const [{ n }] = await ingestion.ds.query(`SELECT count(*)::int AS n FROM ingestion.raw_event WHERE sensor_id = $1 AND transport = 'pull'`, [sensor.sensorId]);
    expect(n).toBe(3);
  });

  it('marks the connector unhealthy when the console refuses the credentials, and stops pulling it', async () => {
    const c = await createCustomer(ingestion);
    const sensor = await registerSensor(ingestion, c.customerId, { product: 'CROWDSTRIKE_FALCON', name: 'Falcon' });
    const tenant = cs.addTenant({ hosts: [{ hostName: 'PC-HR-002' }] });
    await falconConnector(c.customerId, { ...tenant, secret: 'revoked-secret' }, sensor.sensorId);
    expect(await er!.pulls.pull({ kind: 'edr', customerId: c.customerId, product: 'CROWDSTRIKE_FALCON' })).toBe(0);
    const [row] = await er!.ds.query(`SELECT health, last_error FROM endpoint_response.edr_connector WHERE customer_id = $1`, [c.customerId]);
    expect(row.health).toBe('UNHEALTHY');
    expect(row.last_error).toMatch(/Not Authorized/);
    expect((await er!.pulls.sources()).some((s) => s.kind === 'edr' && s.customerId === c.customerId)).toBe(false);
  });

  it('refuses a detection for a sensor of another customer: nothing stored, parked with the reason', async () => {
    const mine = await createCustomer(ingestion);
    const other = await createCustomer(ingestion);
    const foreign = await registerSensor(ingestion, other.customerId, { product: 'CROWDSTRIKE_FALCON', name: 'Not mine' });
    const tenant = cs.addTenant({ hosts: [{ hostName: 'PC-X' }] });
    await falconConnector(mine.customerId, tenant, foreign.sensorId);
    cs.addAlert(tenant.id, [...tenant.hosts.keys()][0]);
    expect(await er!.pulls.pull({ kind: 'edr', customerId: mine.customerId, product: 'CROWDSTRIKE_FALCON' })).toBe(1);
    const parked = await eventually(async () => {
      const rows: { error: string }[] = await ingestion.ds.query(`SELECT error FROM ingestion.dead_letter WHERE consumer = 'ingestion-detection-pulled' AND error LIKE $1`, [`%${foreign.sensorId}%`]);
      if (!rows.length) throw new Error('not parked yet');
      return rows;
    }, { timeoutMs: 20_000 });
    expect(parked[0].error).toContain(`not a live sensor of customer ${mine.customerId}`);
    expect(await alertsOf(foreign.sensorId)).toEqual([]);
  });
});

describe('FireEye NX alerts pulled over the Web Services API', () => {
  it('an alert pulled and also received by mail is one alert; a second pull after a restart adds nothing', async () => {
    const c = await createCustomer(ingestion);
    const nx = await registerSensor(ingestion, c.customerId, { product: 'FIREEYE_NX', name: 'NX' });
    const appliance = fe.addTenant({ id: `cust${randomBytes(3).toString('hex')}` });
    const mailed = fe.addAlert(appliance.id, { occurred: new Date(Date.now() - 60_000) });
    fe.addAlert(appliance.id, { occurred: new Date(Date.now() - 30_000), severity: 'crit' });
    const cipher = er!.app.get(CredentialsCipher);
    const [{ id }] = await er!.ds.query(
      `INSERT INTO endpoint_response.fireeye_appliance (customer_id, base_url, username, password_ciphertext, sensor_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [c.customerId, fe.url, appliance.clientId, cipher.encrypt(appliance.secret, applianceSecretContext(c.customerId, fe.url)), nx.sensorId],
    );

    // the mail of the first alert, as the appliance sends it
    const notification = { msg: 'extended', product: 'Web MPS', version: '9.1.0.950877', appliance: `nx.${appliance.id}.example`, alert: mailed };
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'nx01@example-customer.jp', to: `${nx.sensorId}+${nx.token}@${DOMAIN}`, subject: 'FireEye Alert', text: JSON.stringify(notification) });
    await settled(nx.sensorId, 1);

    expect(await er!.pulls.pull({ kind: 'fireeye-ws', applianceId: id })).toBe(2);
    await restart();
    expect(await er!.pulls.pull({ kind: 'fireeye-ws', applianceId: id })).toBe(0);
    const rows = await settled(nx.sensorId, 2);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await alertsOf(nx.sensorId)).map((r) => r.vendor_event_id)).toEqual([String(mailed.id), rows[1].vendor_event_id].sort());
    expect(await alertsOf(nx.sensorId)).toHaveLength(2);
    const [health] = await er!.ds.query(`SELECT health FROM endpoint_response.fireeye_appliance WHERE id = $1`, [id]);
    expect(health.health).toBe('HEALTHY');
  });

  it('a refused appliance password marks the appliance unhealthy', async () => {
    const c = await createCustomer(ingestion);
    const nx = await registerSensor(ingestion, c.customerId, { product: 'FIREEYE_NX', name: 'NX' });
    const appliance = fe.addTenant();
    const cipher = er!.app.get(CredentialsCipher);
    const [{ id }] = await er!.ds.query(
      `INSERT INTO endpoint_response.fireeye_appliance (customer_id, base_url, username, password_ciphertext, sensor_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [c.customerId, `${fe.url}/`, appliance.clientId, cipher.encrypt('wrong', applianceSecretContext(c.customerId, `${fe.url}/`)), nx.sensorId],
    );
    expect(await er!.pulls.pull({ kind: 'fireeye-ws', applianceId: id })).toBe(0);
    const [row] = await er!.ds.query(`SELECT health, last_error FROM endpoint_response.fireeye_appliance WHERE id = $1`, [id]);
    expect(row).toMatchObject({ health: 'UNHEALTHY' });
    expect(row.last_error).toMatch(/invalid user name or password/);
  });
});
