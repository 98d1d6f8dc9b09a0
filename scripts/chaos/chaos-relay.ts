import { AddressInfo, connect, createServer, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

// The provider's outgoing mail relay during a chaos run: accepts every message and records its
// Message-ID (the key Kanshi derives from the notification's id), or, while failing, answers 451
// to every message (a relay in trouble: Kanshi must retry, not lose or duplicate the mail), or,
// while hanging, takes connections and bytes and never answers (Kanshi's mail timeout must fire;
// at the end of the hang every connection it held is cut). Kanshi talks to a front that passes
// bytes to the SMTP server, so that a hang also freezes the connections Kanshi already pools.

export interface ChaosRelay {
  url: string;
  // Message-ID -> how many times it was accepted.
  accepted: Map<string, number>;
  refused: number;
  failFor(ms: number): void;
  hangFor(ms: number): void;
  // connections held without an answer while hanging
  hung: number;
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
  const { port: smtpPort } = server.server.address() as AddressInfo;
  let hangingUntil = 0;
  let hung = 0;
  const held = new Set<Socket>();
  const hanging = () => Date.now() < hangingUntil;
  const open = new Set<Socket>();
  const front = createServer((client) => {
    client.on('error', () => undefined);
    open.add(client);
    client.on('close', () => open.delete(client));
    if (hanging()) {
      hung++;
      held.add(client);
      client.on('close', () => held.delete(client));
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: smtpPort });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    // a connection that meets a hang stays frozen until the hang ends, then is cut
    const freeze = () => {
      if (held.has(client)) return;
      hung++;
      held.add(client);
      client.on('close', () => held.delete(client));
    };
    client.on('data', (d: Buffer) => (hanging() || held.has(client) ? freeze() : upstream.write(d)));
    upstream.on('data', (d: Buffer) => (hanging() || held.has(client) ? freeze() : client.write(d)));
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = front.address() as AddressInfo;
  let release: NodeJS.Timeout | undefined;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    get refused() {
      return refused;
    },
    get hung() {
      return hung;
    },
    failFor: (ms) => (failingUntil = Date.now() + ms),
    hangFor: (ms) => {
      hangingUntil = Date.now() + ms;
      clearTimeout(release);
      release = setTimeout(() => {
        for (const s of held) s.destroy();
        held.clear();
      }, ms);
    },
    stop: async () => {
      clearTimeout(release);
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
