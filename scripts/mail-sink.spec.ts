import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import nodemailer from 'nodemailer';
import { startMailSink } from './mail-sink';

describe('npm start’s mail sink', () => {
  it('keeps every message it is sent as an .eml file the developer can open', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'kanshi-mail-')), 'mail');
    const sink = await startMailSink(dir);
    try {
      const u = new URL(sink.url);
      const transport = nodemailer.createTransport({ host: u.hostname, port: Number(u.port), secure: false, ignoreTLS: true });
      await transport.sendMail({ from: 'soc@kanshi.invalid', to: 'yamada@customer.example', subject: '重要度「高」のご連絡', text: '本文', messageId: '<n-1@kanshi>' });
      transport.close();
      const files = readdirSync(dir);
      expect(files).toEqual([expect.stringMatching(/-0001-yamada@customer\.example\.eml$/)]);
      const eml = readFileSync(path.join(dir, files[0]), 'utf8');
      expect(eml).toContain('Message-ID: <n-1@kanshi>');
      expect(eml).toContain('To: yamada@customer.example');
    } finally {
      await sink.stop();
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
