import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidationError, ValidationTypes } from 'class-validator';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JsMsg, nanos } from 'nats';
import { DataSource, EntityManager } from 'typeorm';
import { EventDefinition, EventEnvelope } from '@kanshi/events';
import { CORRELATION_HEADER, counter, createLogger, histogram, withCorrelationId } from '@kanshi/observability';
import { databaseUnavailable } from './database-unavailable';
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
  // Messages fetched per pull; handlers run one at a time per consumer, in stream order (unless
  // `concurrency` says otherwise).
  batch?: number;
  // Events handled at once, each in a transaction of its own (default 1). Events with the same
  // `orderKey` (e.g. the incident or alert group they concern) go to the same lane, so they are
  // still handled one after another in stream order; events of other keys do not wait for them.
  concurrency?: number;
  orderKey?: (event: EventEnvelope<TBody>) => string;
}

export interface BatchEventContext {
  // The batch's transaction: the handler's writes and every event's inbox row commit together.
  em: EntityManager;
  // Each event's delivery count, in the order of `events`.
  deliveryCounts: number[];
}

// Receives only events this consumer has not applied before, in stream order.
export type BatchEventHandler<TBody> = (events: EventEnvelope<TBody>[], ctx: BatchEventContext) => Promise<void>;

export interface BatchHandlerRegistration<TBody> {
  durable: string;
  event: EventDefinition<TBody>;
  handleBatch: BatchEventHandler<TBody>;
  // Most events per transaction (default 500).
  maxBatch?: number;
  // How long the first message of a batch waits for more to arrive (default 20 ms).
  maxWaitMs?: number;
  maxDeliveries?: number;
}

type Registration = { kind: 'single'; reg: HandlerRegistration<any> } | { kind: 'batch'; reg: BatchHandlerRegistration<any> };

interface Running {
  stop(): void;
  loop: Promise<void>;
}

interface Parsed<TBody> {
  m: JsMsg;
  envelope: EventEnvelope<TBody>;
  deliveryCount: number;
}

const processed = counter('kanshi_events_processed_total', 'Events handled', ['consumer', 'outcome']);
const batchFallbacks = counter('kanshi_event_batch_fallbacks_total', 'Batches that failed twice and were applied event by event', ['consumer']);
const consumerRestarts = counter('kanshi_consumer_restarts_total', 'Consumer loops that ended without being stopped and were subscribed again', ['consumer']);
const batchSize = histogram('kanshi_event_batch_size', 'Messages per pull of a batched consumer', ['consumer'], [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]);

export interface ConsumerHostOptions {
  schema: string;
  ackWaitMs?: number;
  backoffMs?: (deliveryCount: number) => number;
}

// Runs durable JetStream consumers with an inbox (exactly-once effect on redelivery), ack after
// commit, retries with back-off, and a dead-letter table for what can never succeed.
export class ConsumerHost {
  private readonly log = createLogger('ConsumerHost');
  private readonly registrations: Registration[] = [];
  private readonly running: Running[] = [];
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: NatsBus,
    private readonly opts: ConsumerHostOptions,
  ) {}

  register<TBody>(reg: HandlerRegistration<TBody>): void {
    const lanes = reg.concurrency ?? 1;
    if (!Number.isInteger(lanes) || lanes < 1) throw new Error(`consumer ${reg.durable}: concurrency must be a positive integer, got ${reg.concurrency}`);
    if (lanes > 1 && !reg.orderKey) throw new Error(`consumer ${reg.durable}: concurrency > 1 needs an orderKey (what must stay in order)`);
    this.add({ kind: 'single', reg });
  }

  // Many events per transaction: one inbox row each, the handler called once with the new ones,
  // every message acked after the commit. For consumers whose per-event transaction is the limit.
  // A method of its own rather than an option of `register`: the handler's shape differs, and
  // `register`'s `batch` already means the pull size.
  registerBatch<TBody>(reg: BatchHandlerRegistration<TBody>): void {
    const maxBatch = reg.maxBatch ?? 500;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`consumer ${reg.durable}: maxBatch must be a positive integer, got ${reg.maxBatch}`);
    if (reg.maxWaitMs !== undefined && !(reg.maxWaitMs >= 0)) throw new Error(`consumer ${reg.durable}: maxWaitMs must be >= 0, got ${reg.maxWaitMs}`);
    this.add({ kind: 'batch', reg });
  }

  private add(r: Registration): void {
    if (this.registrations.some((x) => x.reg.durable === r.reg.durable)) throw new Error(`consumer ${r.reg.durable} registered twice`);
    this.registrations.push(r);
  }

  get streams() {
    return this.registrations.map((r) => r.reg.event.stream);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.bus.ensureStreams(this.streams);
    for (const r of this.registrations) {
      const maxBatch = r.kind === 'batch' ? (r.reg.maxBatch ?? 500) : (r.reg.batch ?? 64);
      // The first subscription is made here, so a consumer that cannot be made fails the start.
      const first = await this.consume(r.reg, maxBatch);
      const running: Running = { stop: () => undefined, loop: Promise.resolve() };
      running.loop = this.supervise(r, maxBatch, first, running);
      this.running.push(running);
    }
  }

  // Runs a consumer's loop for as long as the host runs. A loop that ends or fails while nobody
  // asked it to stop (the client gave up on a consumer it could not reach across a NATS or
  // PostgreSQL restart, a handler error that escaped) is started again on a new subscription
  // after a pause, instead of leaving the process alive with nothing consuming.
  private async supervise(r: Registration, maxBatch: number, first: ConsumerMessages, running: Running): Promise<void> {
    const durable = r.reg.durable;
    const lanes = r.kind === 'single' ? (r.reg.concurrency ?? 1) : 1;
    let messages: ConsumerMessages | null = first;
    for (let restart = 0; !this.stopped; restart++) {
      if (!messages) {
        try {
          messages = await this.consume(r.reg, maxBatch);
        } catch (err) {
          this.log.error({ err, durable }, 'consumer could not subscribe; trying again');
          await this.pause(Math.min(10000, 500 * 2 ** Math.min(restart, 5)));
          continue;
        }
      }
      const m = messages;
      running.stop = () => m.stop();
      if (this.stopped) m.stop();
      try {
        await (r.kind === 'batch' ? this.batchLoop(r.reg, m, maxBatch) : lanes > 1 ? this.laneLoop(r.reg, m, lanes) : this.singleLoop(r.reg, m));
        if (this.stopped) return;
        this.log.error({ durable }, 'consumer loop ended unexpectedly; subscribing again');
      } catch (err) {
        if (this.stopped) return;
        this.log.error({ err, durable }, 'consumer loop failed; subscribing again');
      }
      m.stop();
      messages = null;
      consumerRestarts.inc({ consumer: durable });
      await this.pause(Math.min(10000, 500 * 2 ** Math.min(restart, 5)));
    }
  }

  // A wait that stop() cuts short.
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const check = setInterval(() => this.stopped && done(), 50);
      function done() {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    });
  }

  private async consume(reg: { durable: string; event: EventDefinition<unknown> }, maxBatch: number): Promise<ConsumerMessages> {
    const stream = this.bus.streamNameOf(reg.event.stream);
    const durable = reg.durable;
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.bus.subjectOf(reg.event),
      ack_wait: nanos(this.opts.ackWaitMs ?? 30000),
      max_deliver: -1,
      // a batched consumer holds one batch in work and fills the next meanwhile
      max_ack_pending: Math.max(1000, 2 * maxBatch),
    };
    const existing = await this.bus.jsm.consumers.info(stream, durable).catch(() => null);
    if (!existing) await this.bus.jsm.consumers.add(stream, config);
    else if (existing.config.filter_subject !== config.filter_subject || existing.config.ack_wait !== config.ack_wait) await this.bus.jsm.consumers.update(stream, durable, config);
    const consumer = await this.bus.js.consumers.get(stream, durable);
    // A consumer or stream the server no longer knows ends the subscription (the client would
    // otherwise wait for it to come back forever); supervise() then makes it again.
    return consumer.consume({ max_messages: maxBatch, abort_on_missing_resource: true });
  }

  private async singleLoop(reg: HandlerRegistration<any>, messages: ConsumerMessages): Promise<void> {
    for await (const m of messages) {
      await this.process(reg, m);
    }
  }

  // Messages are parsed in stream order and queued on the lane of their orderKey; each lane applies
  // its events one at a time, the lanes side by side. At most 4 events per lane are taken in before
  // the loop waits for one to finish. On stop the events taken in finish (acks included).
  private async laneLoop(reg: HandlerRegistration<any>, messages: ConsumerMessages, lanes: number): Promise<void> {
    const tails: Promise<void>[] = new Array(lanes).fill(Promise.resolve());
    const inFlight = new Set<Promise<void>>();
    try {
      for await (const m of messages) {
        while (inFlight.size >= lanes * 4) await Promise.race(inFlight);
        const deliveryCount = deliveryCountOf(m);
        const correlationId = m.headers?.get(CORRELATION_HEADER) || undefined;
        let envelope: EventEnvelope<unknown>;
        try {
          envelope = await parseEnvelope(reg.event, m.data);
        } catch (err) {
          await withCorrelationId(correlationId, () => this.deadLetter(reg, m, deliveryCount, err as Error));
          continue;
        }
        const lane = laneOf(reg.orderKey!(envelope), lanes);
        const run = tails[lane]
          .then(() => withCorrelationId(correlationId, () => this.applyOne(reg, { m, envelope, deliveryCount }, (em) => reg.handle(envelope, { em, deliveryCount }))))
          .catch((err) => this.log.error({ err, durable: reg.durable }, 'event lane failed; the message is redelivered after ack_wait'));
        tails[lane] = run;
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
      }
    } finally {
      await Promise.all(inFlight);
    }
  }

  // One task moves delivered messages into `buffer`; this loop takes up to maxBatch of them once
  // maxBatch are there or the oldest has waited maxWaitMs, and handles them as one batch. On
  // stop the batch in hand finishes (acks included); messages not yet started are handed back.
  private async batchLoop(reg: BatchHandlerRegistration<any>, messages: ConsumerMessages, maxBatch: number): Promise<void> {
    const maxWaitMs = reg.maxWaitMs ?? 20;
    const buffer: JsMsg[] = [];
    let since = 0;
    let ended = false;
    let wake: (() => void) | null = null;
    const signal = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const pump = (async () => {
      try {
        for await (const m of messages) {
          if (buffer.length === 0) since = performance.now();
          buffer.push(m);
          if (buffer.length === 1 || buffer.length >= maxBatch) signal();
        }
      } finally {
        ended = true;
        signal();
      }
    })();
    const sleep = (ms?: number) =>
      new Promise<void>((resolve) => {
        const timer = ms === undefined ? undefined : setTimeout(signal, ms);
        wake = () => {
          if (timer) clearTimeout(timer);
          resolve();
        };
      });
    try {
      while (!this.stopped && !ended) {
        if (buffer.length === 0) {
          await sleep();
          continue;
        }
        const waited = performance.now() - since;
        if (buffer.length < maxBatch && waited < maxWaitMs) {
          await sleep(maxWaitMs - waited);
          if (this.stopped || ended) break;
        }
        const batch = buffer.splice(0, maxBatch);
        await this.processBatch(reg, batch);
        // what arrived meanwhile has waited long enough
        since = 0;
      }
    } finally {
      messages.stop();
      // Not started: back to the server at once rather than after ack_wait.
      for (const m of buffer.splice(0)) m.nak();
      await pump;
    }
  }

  // Stops pulling, lets the message or batch in hand finish (its acks included), then returns.
  async stop(): Promise<void> {
    this.stopped = true;
    for (const r of this.running) r.stop();
    await Promise.all(this.running.map((r) => r.loop));
    this.running.length = 0;
  }

  async process<TBody>(reg: HandlerRegistration<TBody>, m: JsMsg): Promise<void> {
    const deliveryCount = deliveryCountOf(m);
    const correlationId = m.headers?.get(CORRELATION_HEADER) || undefined;
    await withCorrelationId(correlationId, async () => {
      let envelope: EventEnvelope<TBody>;
      try {
        envelope = await parseEnvelope(reg.event, m.data);
      } catch (err) {
        await this.deadLetter(reg, m, deliveryCount, err as Error);
        return;
      }
      await this.applyOne(reg, { m, envelope, deliveryCount }, (em) => reg.handle(envelope, { em, deliveryCount }));
    });
  }

  // One event in its own transaction: ack after commit, else retry with back-off or park it.
  private async applyOne<TBody>(reg: { durable: string; maxDeliveries?: number }, p: Parsed<TBody>, handle: (em: EntityManager) => Promise<void>): Promise<void> {
    const { m, envelope, deliveryCount } = p;
    try {
      await this.ds.transaction(async (em) => {
        const inserted: unknown[] = await em.query(
          `INSERT INTO "${this.opts.schema}".inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
          [reg.durable, envelope.eventId],
        );
        if (inserted.length === 0) return; // already applied: a redelivery
        await handle(em);
      });
      m.ack();
      processed.inc({ consumer: reg.durable, outcome: 'ok' });
    } catch (err) {
      if (databaseUnavailable(err)) {
        // the event is not at fault: it waits for PostgreSQL however many deliveries that takes
        processed.inc({ consumer: reg.durable, outcome: 'retry' });
        this.log.warn({ err, durable: reg.durable, eventId: envelope.eventId, deliveryCount }, 'PostgreSQL unavailable; the event waits');
        m.nak(Math.min(5000, (this.opts.backoffMs ?? defaultBackoff)(deliveryCount)));
        return;
      }
      const max = reg.maxDeliveries ?? 5;
      if (err instanceof PermanentEventError || deliveryCount >= max) {
        await this.deadLetter(reg, m, deliveryCount, err as Error);
      } else {
        processed.inc({ consumer: reg.durable, outcome: 'retry' });
        this.log.warn({ err, durable: reg.durable, eventId: envelope.eventId, deliveryCount }, 'event handler failed; will retry');
        m.nak((this.opts.backoffMs ?? defaultBackoff)(deliveryCount));
      }
    }
  }

  // Invalid messages are parked one by one; the valid ones are applied in one transaction (one
  // inbox row each, the handler given only the new ones), then all acked. If that fails twice,
  // each is applied in a transaction of its own, so only the failing event is retried or parked.
  async processBatch<TBody>(reg: BatchHandlerRegistration<TBody>, msgs: JsMsg[]): Promise<void> {
    batchSize.observe({ consumer: reg.durable }, msgs.length);
    const checked = await Promise.all(
      msgs.map(async (m): Promise<Parsed<TBody> | { m: JsMsg; err: Error }> => {
        try {
          return { m, envelope: await parseEnvelope(reg.event, m.data), deliveryCount: deliveryCountOf(m) };
        } catch (err) {
          return { m, err: err as Error };
        }
      }),
    );
    const valid: Parsed<TBody>[] = [];
    for (const c of checked) {
      if ('err' in c) await this.deadLetter(reg, c.m, deliveryCountOf(c.m), c.err);
      else valid.push(c);
    }
    if (valid.length === 0) return;
    if (valid.length === 1) return this.eachAlone(reg, valid);
    let lastErr: unknown;
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        await this.ds.transaction((em) => this.applyBatch(reg, em, valid));
        for (const p of valid) p.m.ack();
        processed.inc({ consumer: reg.durable, outcome: 'ok' }, valid.length);
        return;
      } catch (err) {
        lastErr = err;
        if (err instanceof PermanentEventError) break;
      }
    }
    batchFallbacks.inc({ consumer: reg.durable });
    this.log.warn({ err: lastErr, durable: reg.durable, events: valid.length }, 'batch failed; applying its events one by one');
    await this.eachAlone(reg, valid);
  }

  private async applyBatch<TBody>(reg: BatchHandlerRegistration<TBody>, em: EntityManager, batch: Parsed<TBody>[]): Promise<void> {
    const rows: { event_id: string }[] = await em.query(
      `INSERT INTO "${this.opts.schema}".inbox (consumer, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
      [reg.durable, batch.map((p) => p.envelope.eventId)],
    );
    const fresh = new Set(rows.map((r) => r.event_id.toLowerCase()));
    const events: EventEnvelope<TBody>[] = [];
    const deliveryCounts: number[] = [];
    for (const p of batch) {
      // `delete`: the same event twice in one batch is handed over once
      if (!fresh.delete(p.envelope.eventId.toLowerCase())) continue;
      events.push(p.envelope);
      deliveryCounts.push(p.deliveryCount);
    }
    if (events.length) await reg.handleBatch(events, { em, deliveryCounts });
  }

  private async eachAlone<TBody>(reg: BatchHandlerRegistration<TBody>, batch: Parsed<TBody>[]): Promise<void> {
    for (const p of batch) {
      const correlationId = p.m.headers?.get(CORRELATION_HEADER) || undefined;
      await withCorrelationId(correlationId, () => this.applyOne(reg, p, (em) => reg.handleBatch([p.envelope], { em, deliveryCounts: [p.deliveryCount] })));
    }
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
    // No reason with the TERM: servers before 2.10.4 (this one runs 2.9) ignore `+TERM <reason>`,
    // which left every parked message pending, to be redelivered and parked again after ack_wait.
    // The reason is in the dead_letter row.
    m.term();
  }
}

// FNV-1a of the key, so one key always lands on the same lane.
function laneOf(key: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
}

function deliveryCountOf(m: JsMsg): number {
  return m.info.deliveryCount ?? m.info.redeliveryCount;
}

function defaultBackoff(deliveryCount: number): number {
  return Math.min(60000, 500 * 2 ** Math.max(0, deliveryCount - 1));
}

export class EventValidationError extends PermanentEventError {
  override name = 'EventValidationError';
}

// Parses and validates an event: the envelope, then the body against the event's own class.
// Neither is deep-copied: class-transformer copies every nested object it meets (an alert's whole
// ECS document, twice: once inside the envelope, once as the body), so only a body class with
// nested classes to build (`@ValidateNested` with `@Type`) goes through plainToInstance; the others
// become an instance holding the parsed JSON's own values, which validates the same.
export async function parseEnvelope<TBody>(def: EventDefinition<TBody>, data: Uint8Array): Promise<EventEnvelope<TBody>> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch (err) {
    throw new EventValidationError(`payload is not JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EventValidationError('payload is not a JSON object');
  const envelope = Object.assign(new EventEnvelope<TBody>(), raw);
  const envErrors = await validate(envelope);
  if (envErrors.length) throw new EventValidationError(`envelope: ${describe(envErrors)}`);
  if (envelope.subject !== def.subject) throw new EventValidationError(`subject ${envelope.subject} does not match ${def.subject}`);
  const body = hasNestedClasses(def.body) ? (plainToInstance(def.body, envelope.body) as TBody) : (Object.assign(new def.body() as object, envelope.body as object) as TBody);
  const bodyErrors = await validate(body as object, { whitelist: true, forbidUnknownValues: true });
  if (bodyErrors.length) throw new EventValidationError(`body: ${describe(bodyErrors)}`);
  envelope.body = body;
  return envelope;
}

const nestedByClass = new Map<Function, boolean>();

// Whether a body class has properties validated as nested classes (which need class-transformer's `@Type`).
function hasNestedClasses(cls: Function): boolean {
  let nested = nestedByClass.get(cls);
  if (nested === undefined) {
    nested = getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .some((m) => m.type === ValidationTypes.NESTED_VALIDATION);
    nestedByClass.set(cls, nested);
  }
  return nested;
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
