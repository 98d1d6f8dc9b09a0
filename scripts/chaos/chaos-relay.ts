import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// The provider's outgoing mail relay during a chaos run: accepts every message and records its
// Message-ID (the key Kanshi derives from the notification's id), or, while failing, answers 451
// to every message (a relay in trouble: Kanshi must retry, not lose or duplicate the mail).

export interface ChaosRelay {
  url: string;
  // Message-ID -> how many times it was accepted.
  accepted: Map<string, number>;
  refused: number;
  failFor(ms: number): void;
  stop(): Promise<void>;
}

export async function startChaosRelay(): Promise<ChaosRelay> {
  const accepted = new Map<string, number>();
  let failingUntil = 0;
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (Date.now() < failingUntil) {
          refused++;
          const err = new Error('relay unavailable (chaos)') as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        const head = Buffer.concat(chunks).toString('utf8').split(/\r?\n\r?\n/)[0];
        const id = /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '(none)';
        accepted.set(id, (accepted.get(id) ?? 0) + 1);
        callback();
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
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    get refused() {
      return refused;
    },
    failFor: (ms) => (failingUntil = Date.now() + ms),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
