// A real SMTP server (smtp-server) on 127.0.0.1 standing in for the provider's outgoing relay:
// it keeps every message it accepted, parsed (mailparser), and can refuse the next N messages
// with a temporary (451) or permanent (550) error after DATA, as a relay does.
import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface RelayedMail {
  receivedAt: Date;
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
  // Whether the relay accepted it (a refused message is kept too, so tests see what was tried).
  accepted: boolean;
}

export class LocalSmtpRelay {
  readonly messages: RelayedMail[] = [];
  private readonly server: SMTPServer;
  private refusals: { remaining: number; code: number; message: string; to?: string }[] = [];
  private listeningPort: number | undefined;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const rcpt = session.envelope.rcptTo.map((r) => r.address);
          const refusal = this.refusals.find((r) => r.remaining > 0 && (r.to === undefined || rcpt.includes(r.to)));
          if (refusal) refusal.remaining--;
          simpleParser(raw).then(
            (parsed) => {
              this.messages.push({
                receivedAt: new Date(),
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
                raw,
                parsed,
                accepted: !refusal,
              });
              if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
              callback();
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
  }

  async start(): Promise<{ port: number; url: string }> {
    // A client that resets its connection (a sender killed mid-mail) must not end this process.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.listeningPort = (this.server.server.address() as AddressInfo).port;
    return { port: this.port, url: this.url };
  }

  get port(): number {
    if (this.listeningPort === undefined) throw new Error('LocalSmtpRelay is not started');
    return this.listeningPort;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  // The next `n` messages (to `to`, when given) are refused after DATA (451: try again later; 550: rejected).
  refuseNext(n: number, opts: { code?: number; message?: string; to?: string } = {}): void {
    this.refusals.push({ remaining: n, code: opts.code ?? 451, message: opts.message ?? 'Requested action aborted: local error in processing', to: opts.to });
  }

  accepted(to?: string): RelayedMail[] {
    return this.messages.filter((m) => m.accepted && (to === undefined || m.to.includes(to)));
  }

  tried(to: string): RelayedMail[] {
    return this.messages.filter((m) => m.to.includes(to));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
