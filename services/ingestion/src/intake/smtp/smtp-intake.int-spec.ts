import path from 'node:path';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import iconv from 'iconv-lite';
import pino from 'pino';
import { rootLogger } from '@kanshi/observability';
import { gqlOk, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, freePort, registerSensor, TestService } from '../../int-spec-helpers';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '../../parsers/__fixtures__');
const FIREEYE = readFileSync(path.join(FIXTURES, 'fireeye-nx-extended.json'), 'utf8');
const DOMAIN = 'intake.test.kanshi.local';

let svc: TestService;
let ports: { smtp: number };

beforeAll(async () => {
  ports = { smtp: await freePort() };
  svc = await bootIngestion({
    SMTP_PORT: String(ports.smtp),
    INTAKE_MAIL_DOMAIN: DOMAIN,
    // the local MTA only: other loopback addresses stand for hosts elsewhere
    SMTP_SENDER_RELAYS: '127.0.0.1',
    MAIL_TRUSTED_AUTHSERV_IDS: 'mx.soc.test',
  });
});
afterAll(async () => {
  await svc?.close();
});

const rawEvents = (sensorId: string): Promise<{ raw: string; transport: string }[]> =>
  svc.ds.query(`SELECT raw, transport FROM ingestion.raw_event WHERE sensor_id = $1 ORDER BY id`, [sensorId]);

describe('SMTP alert-mail intake', () => {
  let nx: { sensorId: string; token: string };
  let transport: ReturnType<typeof nodemailer.createTransport>;
  beforeAll(async () => {
    const c = await createCustomer(svc);
    nx = await registerSensor(svc, c.customerId, { product: 'FIREEYE_NX', allowedSenders: ['cm01@example-customer.jp'] });
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: ports.smtp, secure: false, ignoreTLS: true });
  });

  it('stores the FireEye alert in a mail to <sensorId>+<token>@domain', async () => {
    const info = await transport.sendMail({ from: 'nx01@example-customer.jp', to: `${nx.sensorId}+${nx.token}@${DOMAIN}`, subject: 'FireEye Alert', text: FIREEYE });
    expect(info.response).toMatch(/^250 /);
    const [alert] = await svc.ds.query(`SELECT vendor_event_id, rule_name FROM ingestion.alert WHERE sensor_id = $1`, [nx.sensorId]);
    expect(alert).toEqual({ vendor_event_id: '52716', rule_name: 'Trojan.QakBot' });
    expect((await rawEvents(nx.sensorId))[0].transport).toBe('smtp');
  });

  it('reads the alert from a Shift_JIS attachment of mail from an allow-listed sender', async () => {
    const json = FIREEYE.replace('52716', '48299');
    await transport.sendMail({
      from: 'cm01@example-customer.jp',
      to: `alerts@${DOMAIN}`,
      subject: 'アラート',
      text: '',
      headers: { 'Authentication-Results': 'mx.soc.test; spf=pass smtp.mailfrom=example-customer.jp; dkim=pass header.d=example-customer.jp; dmarc=pass header.from=example-customer.jp' },
      attachments: [{ filename: 'alert.json', content: iconv.encode(json, 'cp932'), contentType: 'application/json; charset=Shift_JIS' }],
    });
    const rows = await svc.ds.query(`SELECT vendor_event_id FROM ingestion.alert WHERE sensor_id = $1 AND vendor_event_id = '48299'`, [nx.sensorId]);
    expect(rows).toHaveLength(1);
  });

  it('takes an allow-listed sender only through a trusted relay or from the sensor itself: a forged MAIL FROM gets 535', async () => {
    const json = FIREEYE.replace('52716', '48377');
    const mail = { from: 'cm01@example-customer.jp', to: `alerts@${DOMAIN}`, subject: 'FireEye Alert', text: json };
    const elsewhere = nodemailer.createTransport({ host: '127.0.0.1', port: ports.smtp, secure: false, ignoreTLS: true, localAddress: '127.0.0.31' });
    const refused = await elsewhere.sendMail(mail).then(
      () => null,
      (e: { responseCode?: number }) => e,
    );
    expect(refused?.responseCode).toBe(535);
    const stored = () => svc.ds.query(`SELECT vendor_event_id FROM ingestion.alert WHERE sensor_id = $1 AND vendor_event_id = '48377'`, [nx.sensorId]);
    expect(await stored()).toEqual([]);

    // the appliance mailing from its own registered address is trusted
    await gqlOk(svc.graphql, await tokenFor('provider_admin'), 'mutation($id: ID!, $i: UpdateSensorSettingsInput!) { updateSensorSettings(sensorId: $id, input: $i) { id } }', {
      id: nx.sensorId,
      i: { allowedSourceIps: ['127.0.0.31'] },
    });
    expect((await elsewhere.sendMail(mail)).response).toMatch(/^250 /);
    expect(await stored()).toEqual([{ vendor_event_id: '48377' }]);
  });

  it('refuses mail attributed by its sender through the relay without a trusted SPF/DKIM/DMARC pass (550), nothing stored', async () => {
    const before = (await rawEvents(nx.sensorId)).length;
    const json = FIREEYE.replace('52716', '48411');
    const send = (headers: Record<string, string>) =>
      transport.sendMail({ from: 'cm01@example-customer.jp', to: `alerts@${DOMAIN}`, subject: 'FireEye Alert', text: json, headers }).then(
        () => null,
        (e: { responseCode?: number }) => e,
      );
    expect((await send({}))?.responseCode).toBe(550);
    expect((await send({ 'Authentication-Results': 'mx.soc.test; spf=fail smtp.mailfrom=example-customer.jp; dkim=none; dmarc=fail' }))?.responseCode).toBe(550);
    expect((await send({ 'Authentication-Results': 'mx.attacker.example; dmarc=pass header.from=example-customer.jp' }))?.responseCode).toBe(550);
    expect((await rawEvents(nx.sensorId)).length).toBe(before);
    // the token address still works from anywhere
    expect((await transport.sendMail({ from: 'cm01@example-customer.jp', to: `${nx.sensorId}+${nx.token}@${DOMAIN}`, subject: 'FireEye Alert', text: json })).response).toMatch(/^250 /);
  });

  it('never lets the ingest token reach the logs or a quarantined mail', async () => {
    // every logger of the process writes to the root logger's stream
    const stream = (rootLogger() as unknown as Record<symbol, { write(chunk: string): unknown }>)[pino.symbols.streamSym];
    const captured: string[] = [];
    const write = jest.spyOn(stream, 'write').mockImplementation((chunk: string) => (captured.push(String(chunk)), true));
    try {
      // no alert text at all: the whole mail goes to quarantine, headers included
      await transport.sendMail({ from: 'cm01@example-customer.jp', to: `${nx.sensorId}+${nx.token}@${DOMAIN}`, subject: 'no alert here', text: '', headers: { 'Delivered-To': `${nx.sensorId}+${nx.token}@${DOMAIN}` } });
      await transport.sendMail({ from: 'x@example.com', to: `${nx.sensorId}+${nx.token}x@${DOMAIN}`, subject: 'x', text: FIREEYE }).catch(() => undefined);
      // a refused relayed mail beside a token recipient: logged (a warning), the token must not be
      await transport.sendMail({ from: 'cm01@example-customer.jp', to: [`alerts@${DOMAIN}`], cc: `${nx.sensorId}+${nx.token}@${DOMAIN}`, subject: 'x', text: 'note' }).catch(() => undefined);
      await transport.sendMail({ from: 'cm01@example-customer.jp', to: `alerts@${DOMAIN}`, subject: 'x', text: FIREEYE }).catch(() => undefined);
    } finally {
      write.mockRestore();
    }
    expect(captured.join('')).toContain('allow-listed sender refused');
    const rows: { raw: Buffer; reason: string }[] = await svc.ds.query(`SELECT raw, reason FROM ingestion.quarantine WHERE sensor_id = $1`, [nx.sensorId]);
    const note = rows.find((r) => r.raw.toString('latin1').includes('Subject: no alert here'));
    expect(note).toBeDefined();
    expect(note!.raw.toString('latin1')).toContain(`${nx.sensorId}+[token]@`);
    for (const r of rows) expect(r.raw.toString('latin1') + r.reason).not.toContain(nx.token.slice(4));
    expect(captured.join('')).not.toContain(nx.token.slice(4));
  });

  it('refuses a wrong token with 535 and stores nothing', async () => {
    const before = (await rawEvents(nx.sensorId)).length;
    const err = await transport.sendMail({ from: 'x@example.com', to: `${nx.sensorId}+kst_wrong@${DOMAIN}`, subject: 'x', text: FIREEYE }).then(
      () => null,
      (e: { responseCode?: number }) => e,
    );
    expect(err?.responseCode).toBe(535);
    expect((await rawEvents(nx.sensorId)).length).toBe(before);
  });
});
