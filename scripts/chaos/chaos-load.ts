import { createSocket } from 'node:dgram';
import { connect, Socket } from 'node:net';
import { createTransport } from 'nodemailer';

// The chaos run's senders. Each keeps a ledger of what it sent: the HTTPS and SMTP senders resend
// until they get a success answer, as forwarders do, so every line they hold is owed exactly once;
// syslog over TCP and UDP have no application acknowledgement, so theirs are counted, not owed.

export type Transport = 'HTTPS' | 'SMTP' | 'TCP' | 'UDP';
const CODE: Record<Transport, string> = { HTTPS: 'H', SMTP: 'M', TCP: 'T', UDP: 'U' };

const pad = (n: number) => String(n).padStart(2, '0');

// A FortiGate IPS line carrying its marker in msg, whose incident serial number is unique (two
// lines never share an alert identity); one of GROUPS attack names, so alerts of one attack group
// together and attach to the group's open incident (the incident service's steady work).
export const GROUPS = 12;
export function chaosLine(marker: string, serial: number, at = new Date()): string {
  const t = new Date(at.getTime() + 9 * 3600_000);
  const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
  return `date=${date} time=${time} devname="FGT-CHAOS" devid="FGT60F00CHAOS001" logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" severity="high" srcip=10.20.30.${serial % GROUPS} srcport=${1024 + (serial % 60000)} dstip=198.51.100.23 dstport=443 action="dropped" attack="Chaos.Probe.${serial % GROUPS}" attackid=${12000 + (serial % GROUPS)} incidentserialno=${serial} msg="chaos ${marker}"`;
}

export interface Ledger {
  transport: Transport;
  // Markers of lines the sender holds a success answer for (HTTPS, SMTP) or wrote (TCP, UDP).
  sent: Set<string>;
  // Requests sent again after an error or no answer (same idempotency key, same body).
  resent: number;
  failures: number;
  // When each line was written (TCP, UDP): a loss is matched with the windows ingestion was down.
  sentAt: Map<string, number>;
}

export interface Sender {
  ledger: Ledger;
  // Lines sent per second so far (after success, for the resending senders).
  stop(): Promise<void>;
}

export interface SensorTarget {
  sensorId: string;
  token: string;
  https: string;
  smtpPort: number;
  syslogTcpPort: number;
  syslogUdpPort: number;
}

let serial = Math.floor(Date.now() / 1000) % 1_000_000 * 1000;
const nextSerial = () => ++serial;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newLedger(transport: Transport): Ledger {
  return { transport, sent: new Set(), resent: 0, failures: 0, sentAt: new Map() };
}

// Runs `step` every `intervalMs` (skipping ahead when a step takes longer) until stopped; up to
// `concurrency` steps in flight.
function paced(intervalMs: number, concurrency: number, step: (n: number) => Promise<void>): { stop(): Promise<void> } {
  let stopped = false;
  let n = 0;
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    let next = Date.now();
    while (!stopped) {
      while (inFlight.size >= concurrency && !stopped) await Promise.race(inFlight);
      if (stopped) break;
      const p = step(n++).finally(() => inFlight.delete(p));
      inFlight.add(p);
      next += intervalMs;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      else next = Date.now();
    }
    await Promise.all(inFlight);
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

// HTTPS: batches of `linesPerRequest` lines, each request with its own Idempotency-Key, sent again
// (same key, same body) until a 2xx answer.
export function httpsSender(t: SensorTarget, opts: { requestsPerSecond: number; linesPerRequest: number; concurrency: number; stopping: () => boolean }): Sender {
  const ledger = newLedger('HTTPS');
  const run = paced(1000 / opts.requestsPerSecond, opts.concurrency, async (n) => {
    const markers = Array.from({ length: opts.linesPerRequest }, (_, i) => `Chaos.${CODE.HTTPS}.${n}.${i}`);
    const body = markers.map((m) => chaosLine(m, nextSerial())).join('\n');
    const key = `chaos-https-${process.pid}-${n}`;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) ledger.resent++;
      try {
        const res = await fetch(`${t.https}/ingest/v1/sensors/${t.sensorId}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.token}`, 'content-type': 'text/plain', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        if (res.ok) {
          markers.forEach((m) => ledger.sent.add(m));
          return;
        }
        ledger.failures++;
      } catch {
        ledger.failures++;
      }
      // a forwarder keeps trying (also after the run's load ended: what it holds is owed)
      await sleep(Math.min(2000, 200 * 2 ** Math.min(attempt, 4)));
      if (attempt > 200 && opts.stopping()) return;
    }
  });
  return { ledger, stop: run.stop };
}

// SMTP: one alert mail per message, each with its own Message-ID, sent again until accepted.
export function smtpSender(t: SensorTarget, opts: { mailsPerSecond: number; concurrency: number; stopping: () => boolean }): Sender {
  const ledger = newLedger('SMTP');
  const to = `${t.sensorId}+${t.token}@intake.kanshi.local`;
  const run = paced(1000 / opts.mailsPerSecond, opts.concurrency, async (n) => {
    const marker = `Chaos.${CODE.SMTP}.${n}`;
    const line = chaosLine(marker, nextSerial());
    const messageId = `<chaos-${process.pid}-${n}@fgt-chaos.example>`;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) ledger.resent++;
      const transport = createTransport({ host: '127.0.0.1', port: t.smtpPort, secure: false, ignoreTLS: true, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 10_000 });
      try {
        await transport.sendMail({ from: 'fortigate@fgt-chaos.example', to, subject: 'FortiGate alert', text: `${line}\r\n`, messageId });
        ledger.sent.add(marker);
        return;
      } catch {
        ledger.failures++;
      } finally {
        transport.close();
      }
      await sleep(Math.min(2000, 200 * 2 ** Math.min(attempt, 4)));
      if (attempt > 200 && opts.stopping()) return;
    }
  });
  return { ledger, stop: run.stop };
}

// Syslog over TCP (RFC 6587 octet counting, RFC 5424 header): one connection, opened again after
// an error. What was written to a connection that then broke may be lost: counted, not owed.
export function syslogTcpSender(t: SensorTarget, opts: { linesPerSecond: number }): Sender {
  const ledger = newLedger('TCP');
  let socket: Socket | null = null;
  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: t.syslogTcpPort });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
  const run = paced(1000 / opts.linesPerSecond, 1, async (n) => {
    const marker = `Chaos.${CODE.TCP}.${n}`;
    const msg = `<189>1 ${new Date().toISOString()} FGT-CHAOS - - - - ${chaosLine(marker, nextSerial())}`;
    try {
      if (!socket || socket.destroyed) {
        socket = await open();
        socket.on('error', () => socket?.destroy());
      }
      const frame = `${Buffer.byteLength(msg)} ${msg}`;
      // written (or buffered by node and the kernel): as far as a syslog sender can know, sent
      socket.write(frame);
      ledger.sent.add(marker);
      ledger.sentAt.set(marker, Date.now());
    } catch {
      ledger.failures++;
      socket = null;
    }
  });
  return {
    ledger,
    stop: async () => {
      await run.stop();
      socket?.end();
    },
  };
}

export function syslogUdpSender(t: SensorTarget, opts: { linesPerSecond: number }): Sender {
  const ledger = newLedger('UDP');
  const socket = createSocket('udp4');
  const run = paced(1000 / opts.linesPerSecond, 4, async (n) => {
    const marker = `Chaos.${CODE.UDP}.${n}`;
    const msg = Buffer.from(`<189>1 ${new Date().toISOString()} FGT-CHAOS - - - - ${chaosLine(marker, nextSerial())}`);
    await new Promise<void>((resolve) =>
      socket.send(msg, t.syslogUdpPort, '127.0.0.1', (err) => {
        if (err) ledger.failures++;
        else {
          ledger.sent.add(marker);
          ledger.sentAt.set(marker, Date.now());
        }
        resolve();
      }),
    );
  });
  return {
    ledger,
    stop: async () => {
      await run.stop();
      socket.close();
    },
  };
}

// GraphQL reads through the gateway (an analyst's alert list): requests per second and errors.
export function graphqlLoad(gatewayUrl: string, token: string, opts: { requestsPerSecond: number }): { ok: () => number; errors: () => number; stop(): Promise<void> } {
  let ok = 0;
  let errors = 0;
  const run = paced(1000 / opts.requestsPerSecond, 4, async () => {
    try {
      const res = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ alerts(first: 10) { edges { node { id ruleName } } } }' }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { errors?: unknown[] };
      if (res.ok && !body.errors?.length) ok++;
      else errors++;
    } catch {
      errors++;
    }
  });
  return { ok: () => ok, errors: () => errors, stop: run.stop };
}
