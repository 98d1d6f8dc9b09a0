// Test support for reporting's integration specs (not a spec itself): the subgraph booted with
// its consumers running, and other services' events published on JetStream as their relays
// publish them. Specs share one database: each makes its own customers and never truncates.
import { randomUUID } from 'node:crypto';
import { EventDefinition, EventEnvelope } from '@kanshi/events';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from './app.module';
import { loadConfig } from './config';

export interface ReportingKit extends SubgraphKit {
  bus: NatsBus;
  // Publishes one event of another service for `customerId`; returns its envelope.
  publish<T extends object>(def: EventDefinition<T>, customerId: string, body: T, opts?: { occurredAt?: string; eventId?: string }): Promise<EventEnvelope<T>>;
  // Publishes an envelope again (a redelivery from the publisher's side, with a new message id).
  republish<T extends object>(def: EventDefinition<T>, envelope: EventEnvelope<T>): Promise<void>;
}

export async function startReporting(env: Record<string, string> = {}): Promise<ReportingKit> {
  const kit = await startSubgraph({ service: 'reporting', schema: 'reporting', loadConfig: (e) => loadConfig({ ...e, ...env }), module: (config, opts) => AppModule.forRoot(config, opts) });
  const bus = kit.app.get(NatsBus);
  // The kit boots with messaging off (outbox rows stay to be read); the consumers run here.
  await kit.app.get(ConsumerHost).start();
  const send = async <T extends object>(def: EventDefinition<T>, e: EventEnvelope<T>, msgID: string) => {
    await bus.js.publish(bus.subjectOf(def), Buffer.from(JSON.stringify(e)), { msgID });
  };
  return {
    ...kit,
    bus,
    async publish(def, customerId, body, opts = {}) {
      const e = { eventId: opts.eventId ?? randomUUID(), subject: def.subject, occurredAt: opts.occurredAt ?? new Date().toISOString(), customerId, body };
      await send(def, e, e.eventId);
      return e;
    },
    republish: (def, e) => send(def, e, randomUUID()),
    async close() {
      await kit.app.get(ConsumerHost).stop();
      for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${bus.namespace}_`)) await bus.jsm.streams.delete(s.config.name).catch(() => undefined);
      await kit.close();
    },
  };
}
