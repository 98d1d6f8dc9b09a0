import { mkdirSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface MailSink {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

// `npm start`'s outgoing relay: a local SMTP server that accepts every message and keeps it as an
// .eml file (open it in any mail client, or read it as text) under `dir`, newest last by name.
export async function startMailSink(dir: string): Promise<MailSink> {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(',');
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(++n).padStart(4, '0')}-${to.replace(/[^\w.@+-]/g, '_').slice(0, 80)}.eml`;
        try {
          writeFileSync(path.join(dir, name), Buffer.concat(chunks));
          callback();
        } catch (err) {
          callback(err as Error);
        }
      });
    },
  });
  // A client that resets its connection (a sender killed mid-mail) must not end this process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, dir, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
