import { Injectable } from '@nestjs/common';
import { headers as natsHeaders } from 'nats';
import { LogsReceived } from '@kanshi/events';
import { NatsBus } from '@kanshi/messaging';
import { CORRELATION_HEADER, counter, createLogger, currentCorrelationId } from '@kanshi/observability';
import { LogBatch } from './parse-batch';

const RETRY_DELAYS_MS = [100, 500, 2000];

const published = counter('kanshi_ingest_log_batches_published_total', 'logs.received messages published');
const failed = counter('kanshi_ingest_log_batches_failed_total', 'logs.received messages given up after retries (the events are stored)');

// Non-alert logs travel to analysis as logs.received batches, straight to JetStream after the
// database commit (the raw events are the durable copy; the stream is size-bounded). The parse
// worker serializes each message (at most 5000 records, under the server's payload limit);
// the batch id is the msgID, so a retried publish is stored once.
@Injectable()
export class LogStreamAdapter {
  private readonly log = createLogger('LogStreamAdapter');

  constructor(private readonly bus: NatsBus) {}

  get subject(): string {
    return this.bus.subjectOf(LogsReceived);
  }

  get maxPayloadBytes(): number {
    return this.bus.nc.info?.max_payload ?? 1024 * 1024;
  }

  async publish(sensorId: string, batches: LogBatch[]): Promise<void> {
    for (const b of batches) await this.send(sensorId, b);
  }

  private async send(sensorId: string, batch: LogBatch): Promise<void> {
    const h = natsHeaders();
    const correlationId = currentCorrelationId();
    if (correlationId) h.set(CORRELATION_HEADER, correlationId);
    const data = Buffer.from(batch.payload.buffer, batch.payload.byteOffset, batch.payload.byteLength);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.bus.js.publish(this.subject, data, { msgID: batch.eventId, headers: h });
        published.inc();
        return;
      } catch (err) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          failed.inc();
          // The events are committed and searchable; only analysis's copy of this batch is lost.
          this.log.error({ err, eventId: batch.eventId, sensorId, records: batch.records }, 'logs.received batch not published after retries');
          return;
        }
        await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
      }
    }
  }
}
