// Two detections never become one alert, through the real transports: FortiGate IPS lines sent
// by util-linux `logger` (RFC 5424 over TCP, octet counting), FireEye alerts sent as real mail.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { eventually, isolatedDatabaseUrl } from '@kanshi/testing';
import { bootIngestion, createCustomer, freePort, registerSensor, TestService } from '../int-spec-helpers';

jest.setTimeout(120_000);

const run = promisify(execFile);
const FIXTURES = path.resolve(__dirname, '../parsers/__fixtures__');
const FIREEYE = readFileSync(path.join(FIXTURES, 'fireeye-nx-extended.json'), 'utf8');
const DOMAIN = 'identity.test.kanshi.local';

let svc: TestService;
let ports: { tcp: number; smtp: number };

beforeAll(async () => {
  ports = { tcp: await freePort(), smtp: await freePort() };
  svc = await bootIngestion({
    // a database of its own: 127.0.0.1 is bound to this spec's sensor, and other specs bind it too
    DATABASE_URL: await isolatedDatabaseUrl(),
    SYSLOG_HOST: '127.0.0.1',
    SYSLOG_TCP_PORT: String(ports.tcp),
    SMTP_PORT: String(ports.smtp),
    INTAKE_MAIL_DOMAIN: DOMAIN,
    // logger connects from 127.0.0.1, which stands here for the customer's FortiGate
    SMTP_SENDER_RELAYS: '::1',
  });
});
afterAll(async () => {
  await svc?.close();
});

interface AlertRow {
  rule_name: string;
  source_ip: string;
  destination_ip: string;
  blocked: boolean;
  repeat_count: number;
  group_key: string;
}
const alerts = (sensorId: string): Promise<AlertRow[]> =>
  svc.ds.query(`SELECT rule_name, source_ip, destination_ip, blocked, repeat_count, group_key FROM ingestion.alert WHERE sensor_id = $1 ORDER BY rule_name`, [sensorId]);

// Two IPS detections of one FortiGate in the same second; no eventtime nor sessionid (FortiOS 5.x).
const IPS = (attack: string, src: string, dst: string, serial: number, action: string) =>
  `date=2026-11-21 time=09:47:12 devname="FGT-OSAKA-01" devid="FG100FTK20001234" logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" vd="root" severity="high" srcip=${src} dstip=${dst} srcport=51000 dstport=443 proto=6 service="HTTPS" action="${action}" attack="${attack}" attackid=4711 incidentserialno=${serial} msg="${attack}"`;

function logger(message: string): Promise<unknown> {
  return run('logger', ['--tcp', '--octet-count', '--rfc5424', '--server', '127.0.0.1', '--port', String(ports.tcp), '--tag', 'fortigate', '--', message]);
}

describe('alert identity through the real transports', () => {
  it('keeps two FortiGate IPS detections of one device in the same second as two alerts (logger, RFC 5424, octet counting); a replay still counts', async () => {
    const c = await createCustomer(svc);
    const fgt = await registerSensor(svc, c.customerId, { product: 'FORTIGATE', allowedSourceIps: ['127.0.0.1'] });
    const one = IPS('Attack.One', '10.1.1.10', '192.0.2.10', 318840177, 'dropped');
    const two = IPS('Attack.Two', '10.1.1.20', '192.0.2.20', 318840178, 'detected');
    await logger(one);
    await logger(two);
    await eventually(async () => expect(await alerts(fgt.sensorId)).toHaveLength(2));
    expect(await alerts(fgt.sensorId)).toEqual([
      { rule_name: 'Attack.One', source_ip: '10.1.1.10', destination_ip: '192.0.2.10', blocked: true, repeat_count: 1, group_key: '318840177' },
      { rule_name: 'Attack.Two', source_ip: '10.1.1.20', destination_ip: '192.0.2.20', blocked: false, repeat_count: 1, group_key: '318840178' },
    ]);

    // the identical line again (a resend) is the same detection
    await logger(two);
    await eventually(async () => expect((await alerts(fgt.sensorId)).map((a) => a.repeat_count)).toEqual([1, 2]));
  });

  describe('alert mail', () => {
    let nx: { sensorId: string; token: string };
    let transport: ReturnType<typeof nodemailer.createTransport>;
    const quarantined = (): Promise<{ reason: string }[]> => svc.ds.query(`SELECT reason FROM ingestion.quarantine WHERE sensor_id = $1`, [nx.sensorId]);
    beforeAll(async () => {
      const c = await createCustomer(svc);
      nx = await registerSensor(svc, c.customerId, { product: 'FIREEYE_NX', name: 'NX mail' });
      transport = nodemailer.createTransport({ host: '127.0.0.1', port: ports.smtp, secure: false, ignoreTLS: true });
    });

    it('names a FireEye alert after the malware it found, the alert type kept as category', async () => {
      const json = FIREEYE.replace('"52716"', '"61001"');
      await transport.sendMail({ from: 'nx01@example-customer.jp', to: `${nx.sensorId}+${nx.token}@${DOMAIN}`, subject: 'FireEye Alert', text: json });
      const [row] = await svc.ds.query(`SELECT rule_name, ecs->'rule'->>'category' AS category FROM ingestion.alert WHERE sensor_id = $1 AND vendor_event_id = '61001'`, [nx.sensorId]);
      expect(row).toEqual({ rule_name: 'Trojan.QakBot', category: 'malware-callback' });
    });

    it('does not quarantine the covering note of a Japanese alert mail whose attachment gave the alert', async () => {
      const before = (await quarantined()).length;
      const json = FIREEYE.replace('"52716"', '"61002"');
      await transport.sendMail({
        from: 'soc-notify@example-customer.jp',
        to: `${nx.sensorId}+${nx.token}@${DOMAIN}`,
        subject: 'FireEye アラート通知',
        text: '添付のアラートをご確認ください。',
        attachments: [{ filename: 'alert.json', content: Buffer.from(json), contentType: 'application/json' }],
      });
      expect(await svc.ds.query(`SELECT 1 FROM ingestion.alert WHERE sensor_id = $1 AND vendor_event_id = '61002'`, [nx.sensorId])).toHaveLength(1);
      expect((await quarantined()).length).toBe(before);
    });

    it('quarantines the note when no part of the mail gave an alert', async () => {
      const before = (await quarantined()).length;
      await transport.sendMail({
        from: 'soc-notify@example-customer.jp',
        to: `${nx.sensorId}+${nx.token}@${DOMAIN}`,
        subject: 'FireEye アラート通知',
        text: '添付のアラートをご確認ください。',
        attachments: [{ filename: 'alert.json', content: Buffer.from('{"msg":"extended","alert":'), contentType: 'application/json' }],
      });
      expect((await quarantined()).length).toBe(before + 2);
    });
  });
});
