import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JsMsg, nanos } from 'nats';
import { DataSource, EntityManager } from 'typeorm';
import { EventDefinition, EventEnvelope } from '@kanshi/events';
import { CORRELATION_HEADER, counter, createLogger, withCorrelationId } from '@kanshi/observability';
import { NatsBus } from './nats-bus';

export interface EventContext {
  // The handler's transaction: its writes, the inbox row and any outbox rows commit together.
  em: EntityManager;
  deliveryCount: number;
}

export type EventHandler<TBody> = (event: EventEnvelope<TBody>, ctx: EventContext) => Promise<void>;

// A failure that no retry can fix: the message goes straight to the dead-letter table.
export class PermanentEventError extends Error {
  override name = 'PermanentEventError';
}

export interface HandlerRegistration<TBody> {
  // Durable consumer name, unique per service: `<service>-<purpose>`.
  durable: string;
  event: EventDefinition<TBody>;
  handle: EventHandler<TBody>;
  maxDeliveries?: number;
  // Messages fetched per pull; handlers run one at a time per consumer, in stream order.
  batch?: number;
}

const processed = counter('kanshi_events_processed_total', 'Events handled', ['consumer', 'outcome']);

export interface ConsumerHostOptions {
  schema: string;
  ackWaitMs?: number;
  backoffMs?: (deliveryCount: number) => number;
}

// Runs durable JetStream consumers with an inbox (exactly-once effect on redelivery), ack after
// commit, retries with back-off, and a dead-letter table for what can never succeed.
export class ConsumerHost {
  private readonly log = createLogger('ConsumerHost');
  private readonly registrations: HandlerRegistration<any>[] = [];
  private readonly running: { messages: ConsumerMessages; loop: Promise<void> }[] = [];
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: NatsBus,
    private readonly opts: ConsumerHostOptions,
  ) {}

  register<TBody>(reg: HandlerRegistration<TBody>): void {
    if (this.registrations.some((r) => r.durable === reg.durable)) throw new Error(`consumer ${reg.durable} registered twice`);
    this.registrations.push(reg);
  }

  get streams() {
    return this.registrations.map((r) => r.event.stream);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.bus.ensureStreams(this.streams);
    for (const reg of this.registrations) {
      const stream = this.bus.streamNameOf(reg.event.stream);
      const durable = reg.durable;
      const config = {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: this.bus.subjectOf(reg.event),
        ack_wait: nanos(this.opts.ackWaitMs ?? 30000),
        max_deliver: -1,
        max_ack_pending: 1000,
      };
      const existing = await this.bus.jsm.consumers.info(stream, durable).catch(() => null);
      if (!existing) await this.bus.jsm.consumers.add(stream, config);
      else if (existing.config.filter_subject !== config.filter_subject) await this.bus.jsm.consumers.update(stream, durable, config);
      const consumer = await this.bus.js.consumers.get(stream, durable);
      const messages = await consumer.consume({ max_messages: reg.batch ?? 64 });
      const loop = (async () => {
        for await (const m of messages) {
          await this.process(reg, m);
        }
      })().catch((err) => {
        if (!this.stopped) this.log.error({ err, durable }, 'consumer loop ended unexpectedly');
      });
      this.running.push({ messages, loop });
    }
  }

  // Stops pulling, lets the message in hand finish (its ack included), then returns.
  async stop(): Promise<void> {
    this.stopped = true;
    for (const r of this.running) r.messages.stop();
    await Promise.all(this.running.map((r) => r.loop));
    this.running.length = 0;
  }

  async process<TBody>(reg: HandlerRegistration<TBody>, m: JsMsg): Promise<void> {
    const deliveryCount = m.info.deliveryCount ?? m.info.redeliveryCount;
    const correlationId = m.headers?.get(CORRELATION_HEADER) || undefined;
    await withCorrelationId(correlationId, async () => {
      let envelope: EventEnvelope<TBody>;
      try {
        envelope = await parseEnvelope(reg.event, m.data);
      } catch (err) {
        await this.deadLetter(reg, m, deliveryCount, err as Error);
        return;
      }
      try {
        await this.ds.transaction(async (em) => {
          const inserted: unknown[] = await em.query(
            `INSERT INTO "${this.opts.schema}".inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
            [reg.durable, envelope.eventId],
          );
          if (inserted.length === 0) return; // already applied: a redelivery
          await reg.handle(envelope, { em, deliveryCount });
        });
        m.ack();
        processed.inc({ consumer: reg.durable, outcome: 'ok' });
      } catch (err) {
        const max = reg.maxDeliveries ?? 5;
        if (err instanceof PermanentEventError || deliveryCount >= max) {
          await this.deadLetter(reg, m, deliveryCount, err as Error);
        } else {
          processed.inc({ consumer: reg.durable, outcome: 'retry' });
          this.log.warn({ err, durable: reg.durable, eventId: envelope.eventId, deliveryCount }, 'event handler failed; will retry');
          m.nak((this.opts.backoffMs ?? defaultBackoff)(deliveryCount));
        }
      }
    });
  }

  private async deadLetter(reg: { durable: string }, m: JsMsg, deliveries: number, err: Error): Promise<void> {
    const text = Buffer.from(m.data).toString('utf8');
    let eventId: string | null = null;
    try {
      eventId = typeof JSON.parse(text)?.eventId === 'string' ? JSON.parse(text).eventId : null;
    } catch {
      // unreadable payload: kept as text with the reason
    }
    const hdrs: Record<string, string> = {};
    for (const k of m.headers?.keys() ?? []) hdrs[k] = m.headers!.get(k);
    try {
      await this.ds.query(
        `INSERT INTO "${this.opts.schema}".dead_letter (consumer, subject, event_id, payload, headers, error, deliveries) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
        [reg.durable, m.subject, eventId, text, JSON.stringify(hdrs), `${err.name}: ${err.message}`, deliveries],
      );
    } catch (dbErr) {
      // Not parked, so not terminated: the message comes back and nothing is lost.
      this.log.error({ err: dbErr, durable: reg.durable }, 'could not park event in dead_letter; will retry');
      m.nak(5000);
      return;
    }
    processed.inc({ consumer: reg.durable, outcome: 'dead_letter' });
    this.log.error({ err, durable: reg.durable, eventId, deliveries }, 'event parked in dead_letter');
    m.term(err.message.slice(0, 200));
  }
}

function defaultBackoff(deliveryCount: number): number {
  return Math.min(60000, 500 * 2 ** Math.max(0, deliveryCount - 1));
}

export class EventValidationError extends PermanentEventError {
  override name = 'EventValidationError';
}

// Parses and validates an event: the envelope, then the body against the event's own class.
export async function parseEnvelope<TBody>(def: EventDefinition<TBody>, data: Uint8Array): Promise<EventEnvelope<TBody>> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch (err) {
    throw new EventValidationError(`payload is not JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EventValidationError('payload is not a JSON object');
  const envelope = plainToInstance(EventEnvelope, raw) as EventEnvelope<TBody>;
  const envErrors = await validate(envelope);
  if (envErrors.length) throw new EventValidationError(`envelope: ${describe(envErrors)}`);
  if (envelope.subject !== def.subject) throw new EventValidationError(`subject ${envelope.subject} does not match ${def.subject}`);
  const body = plainToInstance(def.body, envelope.body) as TBody;
  const bodyErrors = await validate(body as object, { whitelist: true, forbidUnknownValues: true });
  if (bodyErrors.length) throw new EventValidationError(`body: ${describe(bodyErrors)}`);
  envelope.body = body;
  return envelope;
}

export function describe(errors: ValidationError[], prefix = ''): string {
  return errors
    .flatMap((e) => {
      const here = e.constraints ? [`${prefix}${e.property}: ${Object.values(e.constraints).join(', ')}`] : [];
      const nested = e.children?.length ? [describe(e.children, `${prefix}${e.property}.`)] : [];
      return [...here, ...nested];
    })
    .join('; ');
}
