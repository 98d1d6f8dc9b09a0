// Test support for reporting's integration specs (not a spec itself): the subgraph booted with
// its consumers running, and other services' events published on JetStream as their relays
// publish them. Specs share one database: each makes its own customers and never truncates.
import { randomUUID } from 'node:crypto';
import { Clock } from '@kanshi/calendar';
import { EventDefinition, EventEnvelope } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { ReportEntity } from './reports/report.entity';
import { PdfStorage } from './storage/pdf-storage';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from './app.module';
import { loadConfig } from './config';

export interface ReportingKit extends SubgraphKit {
  bus: NatsBus;
  // Publishes one event of another service for `customerId`; returns its envelope.
  publish<T extends object>(def: EventDefinition<T>, customerId: string, body: T, opts?: { occurredAt?: string; eventId?: string }): Promise<EventEnvelope<T>>;
  // Publishes an envelope again (a redelivery from the publisher's side, with a new message id).
  republish<T extends object>(def: EventDefinition<T>, envelope: EventEnvelope<T>): Promise<void>;
  // A report's row and its PDF bytes.
  pdfOf(reportId: string): Promise<{ report: ReportEntity; pdf: Buffer }>;
}

// `jobs`: also run the job queue (the kit boots with messaging off; the consumers always run here).
export async function startReporting(opts: { env?: Record<string, string>; clock?: Clock; jobs?: boolean } = {}): Promise<ReportingKit> {
  const kit = await startSubgraph({
    service: 'reporting',
    schema: 'reporting',
    // The catch-up spans every customer in the database: off unless a spec (on a database of its own) turns it on.
    // Downloads on a random port: specs run side by side (and beside `npm start` on 4206).
    loadConfig: (e) => loadConfig({ ...e, PUBLIC_PORT: '0', JOBS_POLL_INTERVAL_MS: '500', JOBS_CRON_CHECK_SECONDS: '1', MONTHLY_REPORT_CATCH_UP: 'false', ...opts.env }),
    module: (config, o) => AppModule.forRoot(config, { ...o, clock: opts.clock }),
  });
  const bus = kit.app.get(NatsBus);
  await kit.app.get(ConsumerHost).start();
  if (opts.jobs) await kit.app.get(JobQueue).start();
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
    async pdfOf(reportId) {
      const report = await kit.ds.getRepository(ReportEntity).findOneByOrFail({ id: reportId });
      const pdf = await kit.app.get(PdfStorage).get(report);
      if (!pdf) throw new Error(`report ${reportId} has no PDF`);
      return { report, pdf };
    },
    async close() {
      await kit.app.get(ConsumerHost).stop();
      if (opts.jobs) await kit.app.get(JobQueue).stop();
      for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${bus.namespace}_`)) await bus.jsm.streams.delete(s.config.name).catch(() => undefined);
      await kit.close();
    },
  };
}
