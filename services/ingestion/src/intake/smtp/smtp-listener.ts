import net from 'node:net';
import { AddressObject, Attachment, HeaderValue, ParsedMail, simpleParser, StructuredHeader } from 'mailparser';
import { SMTPServer, SMTPServerAddress, SMTPServerDataStream, SMTPServerEnvelope, SMTPServerSession } from 'smtp-server';
import { normalizeRemoteAddress, SensorRef } from '../sensor-ref';
import { decodeDeviceText } from '../../parsers/charset';

// The SMTP listener for alert mail (FireEye and others send notifications by mail). A mail is
// accepted only for a recipient that authenticates one sensor (`<sensorId>+<token>@<domain>`)
// or from a sender allow-listed for a sensor; it is acknowledged (250) only after onMail has
// taken it, so a storage failure becomes a 451 and the sending MTA tries again.

export interface IntakeMailAttachment {
  filename: string | null;
  contentType: string;
  // the charset the part declared, if any (the content is left as sent)
  charset: string | null;
  content: Buffer;
}

export interface IntakeMail {
  // the header From address, or the envelope sender when the header has none
  from: string;
  envelopeFrom: string;
  // the accepted recipients that attributed this mail to the sensor it is handed over for
  recipients: string[];
  subject: string;
  text: string;
  html: string | null;
  attachments: IntakeMailAttachment[];
  messageId: string | null;
  date: Date | null;
  receivedAt: Date;
  remoteAddress: string;
  raw: Buffer;
}

export interface RecipientCredentials {
  sensorId: string;
  token: string;
}

export interface SmtpListenerTlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface SmtpListenerOptions<S extends SensorRef = SensorRef> {
  host?: string;
  // 0 picks a free port
  port?: number;
  // the intake domain, e.g. soc.kanshi.local; mail for any other domain is refused (550)
  domain: string;
  // offers STARTTLS when set
  tls?: SmtpListenerTlsOptions;
  maxMessageBytes?: number;
  maxClients?: number;
  maxRecipients?: number;
  socketTimeoutMs?: number;
  // how long stop() lets open sessions finish before closing them
  closeTimeoutMs?: number;
  authenticateRecipient(localPart: RecipientCredentials): Promise<S | null>;
  allowSender(fromAddress: string, remoteAddress: string): Promise<S | null>;
  // After DATA, for a sensor the mail is attributed to by its sender (no token): whether the
  // message proves that sender (an Authentication-Results pass from a trusted relay). Absent:
  // accepted as allowSender decided.
  senderVerified?(sensor: S, mail: ParsedMail, remoteAddress: string): boolean;
  onMail(sensor: S, mail: IntakeMail): Promise<void>;
  // failures answered with a temporary error (lookups, onMail) and connection errors;
  // defaults to process.emitWarning
  onError?(err: Error, context: { remoteAddress?: string; sessionId?: string }): void;
}

interface Transaction<S extends SensorRef> {
  // accepted recipients grouped by the sensor they attribute the mail to; `bySender` while no
  // recipient of that sensor carried its token
  sensors: Map<string, { sensor: S; recipients: string[]; bySender: boolean }>;
  allowedSender?: Promise<S | null>;
  // the ingest tokens of the recipients, cut out of the stored mail
  tokens?: Set<string>;
}

const DEFAULTS = {
  host: '127.0.0.1',
  port: 2525,
  maxMessageBytes: 10 * 1024 * 1024,
  // each session may hold up to maxMessageBytes while its DATA is read
  maxClients: 50,
  maxRecipients: 20,
  socketTimeoutMs: 60_000,
  closeTimeoutMs: 10_000,
};

export class SmtpListener<S extends SensorRef = SensorRef> {
  private readonly options: SmtpListenerOptions<S>;
  private readonly domain: string;
  private readonly maxMessageBytes: number;
  private readonly transactions = new WeakMap<SMTPServerEnvelope, Transaction<S>>();
  private readonly server: SMTPServer;
  private listening = false;

  constructor(options: SmtpListenerOptions<S>) {
    this.options = options;
    this.domain = normalizeDomain(options.domain);
    if (!this.domain) throw new Error('SmtpListener: domain is required');
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULTS.maxMessageBytes;
    this.server = new SMTPServer({
      name: this.domain,
      banner: 'Kanshi alert intake',
      size: this.maxMessageBytes,
      maxClients: options.maxClients ?? DEFAULTS.maxClients,
      maxRecipients: options.maxRecipients ?? DEFAULTS.maxRecipients,
      socketTimeout: options.socketTimeoutMs ?? DEFAULTS.socketTimeoutMs,
      closeTimeout: options.closeTimeoutMs ?? DEFAULTS.closeTimeoutMs,
      // sensors authenticate by recipient token or allow-listed sender, never by SMTP AUTH
      authOptional: true,
      disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(options.tls ? { key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca } : {}),
      hideENHANCEDSTATUSCODES: false,
      disableReverseLookup: true,
      logger: false,
      onRcptTo: (address, session, callback) => {
        this.checkRecipient(address, session).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      },
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    this.server.on('error', (err) => this.reportError(err, {}));
  }

  async start(): Promise<{ port: number }> {
    const port = this.options.port ?? DEFAULTS.port;
    const host = this.options.host ?? DEFAULTS.host;
    const listener = await new Promise<net.Server>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.server.once('error', onError);
      const server = this.server.listen(port, host, () => {
        this.server.server.off('error', onError);
        resolve(server);
      });
    });
    this.listening = true;
    return { port: (listener.address() as net.AddressInfo).port };
  }

  // Stops accepting; sessions in progress get closeTimeoutMs to finish (a DATA being stored is
  // answered before its connection is closed).
  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async checkRecipient(address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
    const remoteAddress = normalizeRemoteAddress(session.remoteAddress);
    const at = address.address.lastIndexOf('@');
    const localPart = at > 0 ? address.address.slice(0, at) : address.address;
    const domain = at > 0 ? normalizeDomain(address.address.slice(at + 1)) : '';
    if (domain !== this.domain) {
      throw smtpError(550, `Mailbox unavailable: ${this.domain} is the only domain served here`);
    }
    const tx = this.transaction(session.envelope);
    let sensor: S | null;
    let bySender = false;
    try {
      sensor = await this.recipientSensor(localPart);
      if (!sensor) {
        bySender = true;
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        // the null sender (bounces) can never be allow-listed
        if (from) {
          tx.allowedSender ??= this.options.allowSender(from, remoteAddress);
          sensor = await tx.allowedSender;
        }
      }
    } catch (err) {
      tx.allowedSender = undefined;
      this.reportError(new Error(`recipient check for ${redactRecipient(address.address)} failed: ${(err as Error).message}`, { cause: err }), {
        remoteAddress,
        sessionId: session.id,
      });
      throw smtpError(451, 'Temporary failure checking the recipient, try again later');
    }
    if (!sensor) throw smtpError(535, 'Authentication credentials invalid');
    // the token never travels further than this check: not in the stored mail, not in logs
    const entry = tx.sensors.get(sensor.sensorId);
    if (entry) {
      entry.recipients.push(redactRecipient(address.address));
      entry.bySender &&= bySender;
    } else {
      tx.sensors.set(sensor.sensorId, { sensor, recipients: [redactRecipient(address.address)], bySender });
    }
    if (!bySender) (tx.tokens ??= new Set()).add(localPart.slice(localPart.indexOf('+') + 1));
  }

  private recipientSensor(localPart: string): Promise<S | null> {
    const plus = localPart.indexOf('+');
    if (plus <= 0 || plus === localPart.length - 1) return Promise.resolve(null);
    return this.options.authenticateRecipient({ sensorId: localPart.slice(0, plus), token: localPart.slice(plus + 1) });
  }

  private transaction(envelope: SMTPServerEnvelope): Transaction<S> {
    let tx = this.transactions.get(envelope);
    if (!tx) {
      tx = { sensors: new Map() };
      this.transactions.set(envelope, tx);
    }
    return tx;
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): void {
    const envelope = session.envelope;
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // past the limit the rest is read and thrown away: the answer is 552 either way
      if (size <= this.maxMessageBytes) chunks.push(chunk);
    });
    stream.once('end', () => {
      if (stream.sizeExceeded || size > this.maxMessageBytes) {
        callback(smtpError(552, `Message exceeds the fixed maximum message size of ${this.maxMessageBytes} bytes`));
        return;
      }
      this.deliver(Buffer.concat(chunks, size), envelope, session).then(
        (message) => callback(null, message),
        (err: Error) => callback(err),
      );
    });
  }

  private async deliver(raw: Buffer, envelope: SMTPServerEnvelope, session: SMTPServerSession): Promise<string> {
    const receivedAt = new Date();
    const remoteAddress = normalizeRemoteAddress(session.remoteAddress);
    const tx = this.transactions.get(envelope);
    if (!tx || tx.sensors.size === 0) throw smtpError(503, 'No valid recipients');
    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(raw, { keepCidLinks: true, skipTextToHtml: true, checksumAlgo: false });
    } catch (err) {
      // a message that cannot be parsed now never will be: refuse it for good, with the reason
      throw smtpError(554, `Message could not be parsed: ${(err as Error).message}`);
    }
    const envelopeFrom = envelope.mailFrom ? envelope.mailFrom.address : '';
    const base = toIntakeMail(parsed, redactTokens(raw, tx.tokens), envelopeFrom, receivedAt, remoteAddress);
    // a sensor reached by its sender alone needs the message to prove that sender
    const verify = this.options.senderVerified;
    const targets = [...tx.sensors.values()].filter((t) => !t.bySender || !verify || verify(t.sensor, parsed, remoteAddress));
    if (targets.length === 0) throw smtpError(550, 'Sender not authenticated: no SPF, DKIM or DMARC pass from a trusted relay (send to <sensorId>+<token>@ instead)');
    try {
      // one copy per sensor: recipients of two tenants never share a stored mail
      for (const { sensor, recipients } of targets) {
        await this.options.onMail(sensor, { ...base, recipients });
      }
    } catch (err) {
      this.reportError(new Error(`storing mail ${base.messageId ?? ''} failed: ${(err as Error).message}`, { cause: err }), {
        remoteAddress,
        sessionId: session.id,
      });
      throw smtpError(451, 'Temporary failure storing the message, try again later');
    }
    return `Message accepted for ${targets.length} sensor(s)`;
  }

  private reportError(err: Error, context: { remoteAddress?: string; sessionId?: string }): void {
    if (this.options.onError) this.options.onError(err, context);
    else process.emitWarning(err);
  }
}

// The alert payloads of a mail, decoded to text: the body (FireEye puts its JSON or text
// notification there) and every text, JSON or CSV attachment.
export function extractAlertTexts(mail: Pick<IntakeMail, 'text' | 'attachments'>): { text: string; fromBody: boolean }[] {
  const texts: { text: string; fromBody: boolean }[] = [];
  const body = (mail.text ?? '').trim();
  if (body) texts.push({ text: body, fromBody: true });
  for (const attachment of mail.attachments) {
    if (!isAlertAttachment(attachment)) continue;
    const text = decodeDeviceText(attachment.content, attachment.charset ?? undefined).trim();
    if (text) texts.push({ text, fromBody: false });
  }
  return texts;
}

const ALERT_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/csv',
  'application/x-csv',
]);
const ALERT_EXTENSIONS = new Set(['json', 'ndjson', 'jsonl', 'csv', 'tsv', 'txt', 'log']);

function isAlertAttachment(attachment: IntakeMailAttachment): boolean {
  const type = attachment.contentType.toLowerCase();
  if (type === 'text/html') return false;
  if (type.startsWith('text/') || ALERT_TYPES.has(type) || type.endsWith('+json')) return true;
  // CSV exported on Windows is often sent as application/vnd.ms-excel or octet-stream
  const extension = (attachment.filename ?? '').toLowerCase().split('.').pop() ?? '';
  return ALERT_EXTENSIONS.has(extension);
}

function toIntakeMail(parsed: ParsedMail, raw: Buffer, envelopeFrom: string, receivedAt: Date, remoteAddress: string): IntakeMail {
  return {
    from: firstAddress(parsed.from) ?? envelopeFrom,
    envelopeFrom,
    recipients: [],
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    attachments: parsed.attachments.map(toAttachment),
    messageId: parsed.messageId ?? null,
    date: parsed.date ?? null,
    receivedAt,
    remoteAddress,
    raw,
  };
}

function toAttachment(attachment: Attachment): IntakeMailAttachment {
  const contentType = attachment.headers.get('content-type');
  const charset = isStructuredHeader(contentType) ? (contentType.params.charset ?? null) : null;
  return {
    filename: attachment.filename ?? null,
    contentType: attachment.contentType,
    charset,
    content: attachment.content,
  };
}

function isStructuredHeader(value: HeaderValue | undefined): value is StructuredHeader {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'value' in value && 'params' in value;
}

function firstAddress(address: AddressObject | undefined): string | undefined {
  return address?.value.find((entry) => entry.address)?.address;
}

function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

// <sensorId>+<token>@domain -> <sensorId>+[token]@domain
export function redactRecipient(address: string): string {
  return address.replace(/^([^+@]+)\+[^@]*@/, '$1+[token]@');
}

// The mail as stored (quarantine keeps it whole when nothing in it parses), without the tokens
// its headers carry (To, Delivered-To, Received ... for <...>).
function redactTokens(raw: Buffer, tokens: Set<string> | undefined): Buffer {
  if (!tokens?.size) return raw;
  let text = raw.toString('latin1');
  let changed = false;
  for (const token of tokens) {
    if (token && text.includes(token)) {
      text = text.split(token).join('[token]');
      changed = true;
    }
  }
  return changed ? Buffer.from(text, 'latin1') : raw;
}
