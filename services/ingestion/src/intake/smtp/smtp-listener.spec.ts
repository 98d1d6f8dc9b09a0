import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import nodemailer from 'nodemailer';
import { createSelfSignedCertificate } from '../__fixtures__/self-signed-certificate';
import { SensorRef } from '../sensor-ref';
import { extractAlertTexts, IntakeMail, SmtpListener, SmtpListenerOptions } from './smtp-listener';

const DOMAIN = 'soc.kanshi.local';
const NX: SensorRef = { sensorId: 'nx01', customerId: 'customer-a' };
const EX: SensorRef = { sensorId: 'ex01', customerId: 'customer-b' };
const TOKENS: Record<string, { token: string; sensor: SensorRef }> = {
  nx01: { token: 's3cr3t-NX', sensor: NX },
  ex01: { token: 'tok-EX', sensor: EX },
};
const ALLOWED_SENDER = 'fireeye-cm@example-customer.jp';
const FIREEYE_JSON = fs.readFileSync(path.resolve(__dirname, '../../parsers/__fixtures__/fireeye-nx-extended.json'), 'utf8');

interface Stored {
  sensor: SensorRef;
  mail: IntakeMail;
}

const running: SmtpListener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function setup(overrides: Partial<SmtpListenerOptions> = {}) {
  const stored: Stored[] = [];
  const errors: Error[] = [];
  const sut = new SmtpListener({
    port: 0,
    domain: DOMAIN,
    authenticateRecipient: async ({ sensorId, token }) => {
      const entry = TOKENS[sensorId];
      return entry && entry.token === token ? entry.sensor : null;
    },
    allowSender: async (from) => (from === ALLOWED_SENDER ? NX : null),
    onMail: async (sensor, mail) => {
      stored.push({ sensor, mail });
    },
    onError: (err) => errors.push(err),
    ...overrides,
  });
  running.push(sut);
  const { port } = await sut.start();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  return { sut, port, stored, errors, transport };
}

// What nodemailer reports when the server refused the message or its recipients.
async function refusal(promise: Promise<unknown>): Promise<{ responseCode?: number; response?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { responseCode?: number; response?: string };
  }
  throw new Error('the server accepted what it should have refused');
}

function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

describe('SmtpListener', () => {
  it('accepts alert mail to <sensorId>+<token>@domain and hands the FireEye JSON body over', async () => {
    const { transport, stored } = await setup();
    const info = await transport.sendMail({
      from: 'nx01@example-customer.jp',
      to: `nx01+s3cr3t-NX@${DOMAIN}`,
      subject: 'FireEye Alert: malware-callback',
      text: FIREEYE_JSON,
      messageId: '<alert-48213@nx01.example-customer.jp>',
    });
    expect(info.response).toMatch(/^250 2\.6\.0 /);
    expect(stored).toHaveLength(1);
    const { sensor, mail } = stored[0];
    expect(sensor).toEqual(NX);
    expect(mail).toMatchObject({
      from: 'nx01@example-customer.jp',
      envelopeFrom: 'nx01@example-customer.jp',
      // the token stops at the recipient check: not in what is stored
      recipients: [`nx01+[token]@${DOMAIN}`],
      subject: 'FireEye Alert: malware-callback',
      messageId: '<alert-48213@nx01.example-customer.jp>',
      remoteAddress: '127.0.0.1',
    });
    expect(mail.receivedAt).toBeInstanceOf(Date);
    expect(mail.raw.toString()).toContain('Subject: FireEye Alert: malware-callback');
    expect(mail.raw.toString()).toContain(`nx01+[token]@${DOMAIN}`);
    expect(mail.raw.toString()).not.toContain('s3cr3t-NX');
    const [{ text: payload }] = extractAlertTexts(mail);
    expect(JSON.parse(payload)).toEqual(JSON.parse(FIREEYE_JSON));
  });

  it('refuses a wrong token or an unknown sensor at RCPT with 535 5.7.8', async () => {
    const { transport, stored } = await setup();
    for (const to of [`nx01+wrong@${DOMAIN}`, `ghost+s3cr3t-NX@${DOMAIN}`, `nx01@${DOMAIN}`]) {
      const err = await refusal(transport.sendMail({ from: 'attacker@example.net', to, text: 'x' }));
      expect(err.responseCode).toBe(535);
      expect(err.response).toBe('535 5.7.8 Authentication credentials invalid');
    }
    expect(stored).toEqual([]);
  });

  it('accepts mail from a sender allow-listed for a sensor, without a token', async () => {
    const { transport, stored } = await setup();
    await transport.sendMail({ from: ALLOWED_SENDER, to: `alerts@${DOMAIN}`, subject: 'CM alert', text: '{"msg":"extended"}' });
    expect(stored).toHaveLength(1);
    expect(stored[0].sensor).toEqual(NX);
    expect(stored[0].mail.from).toBe(ALLOWED_SENDER);
  });

  it('refuses other domains with 550', async () => {
    const { transport } = await setup();
    const err = await refusal(transport.sendMail({ from: ALLOWED_SENDER, to: 'nx01+s3cr3t-NX@elsewhere.example', text: 'x' }));
    expect(err.responseCode).toBe(550);
  });

  it('refuses a message over maxMessageBytes with 552 and stores nothing', async () => {
    const { transport, stored } = await setup({ maxMessageBytes: 20_000 });
    const err = await refusal(
      transport.sendMail({ from: ALLOWED_SENDER, to: `nx01+s3cr3t-NX@${DOMAIN}`, text: 'A'.repeat(100_000) }),
    );
    expect(err.responseCode).toBe(552);
    expect(stored).toEqual([]);
  });

  it('answers 451 when storing fails, so the sending MTA retries and nothing is lost', async () => {
    let failures = 1;
    const stored: IntakeMail[] = [];
    const { transport, errors } = await setup({
      onMail: async (_sensor, mail) => {
        if (failures-- > 0) throw new Error('database unavailable');
        stored.push(mail);
      },
    });
    const message = { from: ALLOWED_SENDER, to: `nx01+s3cr3t-NX@${DOMAIN}`, text: 'alert', messageId: '<retry-1@cm>' };
    const err = await refusal(transport.sendMail(message));
    expect(err.responseCode).toBe(451);
    expect(err.response).toMatch(/^451 4\.3\.0 /);
    expect(errors[0].message).toContain('database unavailable');
    await transport.sendMail(message);
    expect(stored.map((m) => m.messageId)).toEqual(['<retry-1@cm>']);
  });

  it('stores one copy per sensor when recipients name sensors of two tenants', async () => {
    const { transport, stored } = await setup();
    await transport.sendMail({
      from: 'relay@example.net',
      to: [`nx01+s3cr3t-NX@${DOMAIN}`, `ex01+tok-EX@${DOMAIN}`],
      text: 'shared alert',
    });
    expect(stored.map((s) => [s.sensor.sensorId, s.mail.recipients])).toEqual([
      ['nx01', [`nx01+[token]@${DOMAIN}`]],
      ['ex01', [`ex01+[token]@${DOMAIN}`]],
    ]);
  });

  it('extracts the body and the CSV and JSON attachments, but not images or HTML', async () => {
    const { transport, stored } = await setup();
    await transport.sendMail({
      from: ALLOWED_SENDER,
      to: `nx01+s3cr3t-NX@${DOMAIN}`,
      text: 'See attachments.',
      attachments: [
        { filename: 'alerts.csv', content: 'time,src,dst,action\n2026-11-20 11:02:33,10.20.30.41,198.51.100.23,blocked\n', contentType: 'text/csv' },
        { filename: 'export.csv', content: 'a,b\n1,2\n', contentType: 'application/vnd.ms-excel' },
        { filename: 'alert.json', content: '{"id":"48213"}', contentType: 'application/json' },
        { filename: 'screenshot.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), contentType: 'image/png' },
        { filename: 'report.html', content: '<p>report</p>', contentType: 'text/html' },
      ],
    });
    const texts = extractAlertTexts(stored[0].mail).map((t) => t.text);
    expect(texts).toEqual([
      'See attachments.',
      'time,src,dst,action\n2026-11-20 11:02:33,10.20.30.41,198.51.100.23,blocked',
      'a,b\n1,2',
      '{"id":"48213"}',
    ]);
    expect(stored[0].mail.attachments.map((a) => a.filename)).toEqual([
      'alerts.csv',
      'export.csv',
      'alert.json',
      'screenshot.png',
      'report.html',
    ]);
  });

  it('decodes a Shift_JIS mail: subject, 8-bit body, declared and undeclared CSV attachments', async () => {
    const { transport, stored } = await setup();
    const subject = '【警告】マルウェア通信を検知しました';
    const body = '監視対象ホスト pc-sales-017 で不正な通信を遮断しました。①詳細は添付を参照。';
    const csv = '日時,送信元,宛先,対応\n2026-11-20 11:02:33,10.20.30.41,198.51.100.23,遮断\n';
    const sjis = (s: string) => iconv.encode(s, 'Shift_JIS');
    const raw = Buffer.concat([
      Buffer.from(
        [
          'From: =?Shift_JIS?B?' + sjis('ファイアウォール').toString('base64') + '?= <fw@example-customer.jp>',
          `To: nx01+s3cr3t-NX@${DOMAIN}`,
          `Subject: =?Shift_JIS?B?${sjis(subject).toString('base64')}?=`,
          'Message-ID: <sjis-1@example-customer.jp>',
          'Date: Fri, 20 Nov 2026 11:02:40 +0900',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="kanshi-b1"',
          '',
          '--kanshi-b1',
          'Content-Type: text/plain; charset=Shift_JIS',
          'Content-Transfer-Encoding: 8bit',
          '',
          '',
        ].join('\r\n'),
      ),
      sjis(body),
      Buffer.from(
        [
          '',
          '--kanshi-b1',
          'Content-Type: text/csv; charset=Shift_JIS; name="alerts.csv"',
          'Content-Disposition: attachment; filename="alerts.csv"',
          'Content-Transfer-Encoding: base64',
          '',
          base64Lines(sjis(csv)),
          '--kanshi-b1',
          'Content-Type: application/octet-stream; name="undeclared.csv"',
          'Content-Disposition: attachment; filename="undeclared.csv"',
          'Content-Transfer-Encoding: base64',
          '',
          base64Lines(sjis(csv)),
          '--kanshi-b1--',
          '',
        ].join('\r\n'),
      ),
    ]);
    await transport.sendMail({ envelope: { from: 'fw@example-customer.jp', to: [`nx01+s3cr3t-NX@${DOMAIN}`] }, raw });
    const { mail } = stored[0];
    expect(mail.subject).toBe(subject);
    expect(mail.text.trim()).toBe(body);
    expect(mail.attachments.map((a) => a.charset)).toEqual(['Shift_JIS', null]);
    // as sent, but for the token
    expect(mail.raw.toString('latin1')).toBe(raw.toString('latin1').replace('s3cr3t-NX', '[token]'));
    expect(extractAlertTexts(mail).map((t) => t.text)).toEqual([body, csv.trim(), csv.trim()]);
  });

  it('decodes an ISO-2022-JP mail, the usual encoding of Japanese alert mail', async () => {
    const { transport, stored } = await setup();
    // "日本語" in ISO-2022-JP
    const jis = Buffer.from([0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x38, 0x6c, 0x1b, 0x28, 0x42]);
    const raw = Buffer.concat([
      Buffer.from(
        [
          'From: nx01@example-customer.jp',
          `To: nx01+s3cr3t-NX@${DOMAIN}`,
          `Subject: =?ISO-2022-JP?B?${jis.toString('base64')}?= alert`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b2"',
          '',
          '--b2',
          'Content-Type: text/plain; charset=ISO-2022-JP',
          'Content-Transfer-Encoding: 7bit',
          '',
          'host: ',
        ].join('\r\n'),
      ),
      jis,
      Buffer.from(
        [
          '',
          '--b2',
          'Content-Type: text/plain; charset=ISO-2022-JP; name="detail.txt"',
          'Content-Disposition: attachment; filename="detail.txt"',
          'Content-Transfer-Encoding: 7bit',
          '',
          'detail: ',
        ].join('\r\n'),
      ),
      jis,
      Buffer.from(['', '--b2--', ''].join('\r\n')),
    ]);
    await transport.sendMail({ envelope: { from: 'nx01@example-customer.jp', to: [`nx01+s3cr3t-NX@${DOMAIN}`] }, raw });
    const { mail } = stored[0];
    expect(mail.subject).toBe('日本語 alert');
    expect(extractAlertTexts(mail).map((t) => t.text)).toEqual(['host: 日本語', 'detail: 日本語']);
  });

  it('offers STARTTLS when given a certificate', async () => {
    const { key, cert } = createSelfSignedCertificate();
    const { port, stored } = await setup({ tls: { key, cert } });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { ca: cert } });
    await transport.sendMail({ from: ALLOWED_SENDER, to: `nx01+s3cr3t-NX@${DOMAIN}`, text: 'over TLS' });
    expect(stored.map((s) => s.mail.text.trim())).toEqual(['over TLS']);
  });
});
