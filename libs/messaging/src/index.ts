export { NatsBus } from './nats-bus';
export { Outbox, outboxChannel } from './outbox';
export type { OutboxAddOptions } from './outbox';
export { OutboxRelay, OutboxPruneJob } from './outbox-relay';
export type { OutboxRelayOptions } from './outbox-relay';
export { ConsumerHost, PermanentEventError, EventValidationError, parseEnvelope, describe as describeValidationErrors } from './event-consumer';
export type { EventContext, EventHandler, HandlerRegistration, BatchEventContext, BatchEventHandler, BatchHandlerRegistration, ConsumerHostOptions } from './event-consumer';
