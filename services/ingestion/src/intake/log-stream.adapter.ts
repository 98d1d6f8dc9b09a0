import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from 'nats';
import { LogsReceived } from '@kanshi/events';
import { NatsBus } from '@kanshi/messaging';
import { CORRELATION_HEADER, counter, createLogger, currentCorrelationId } from '@kanshi/observability';

const MAX_RECORDS = 5000;
const ENVELOPE_ROOM = 4096;
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
const RETRY_DELAYS_MS = [100, 500, 2000];

const published = counter('kanshi_ingest_log_batches_published_total', 'logs.received messages published');
const failed = counter('kanshi_ingest_log_batches_failed_total', 'logs.received messages given up after retries (the events are stored)');

// Non-alert logs travel to analysis as logs.received batches, straight to JetStream after the
// database commit (the raw events are the durable copy; the stream is size-bounded). One
// message per batch of up to 5000 records and under the server's payload limit, with the batch
// id as msgID, so a retried publish is stored once.
@Injectable()
export class LogStreamAdapter {
  private readonly log = createLogger('LogStreamAdapter');

  constructor(private readonly bus: NatsBus) {}

  // Returns the batch ids published.
  async publish(sensor: { sensorId: string; customerId: string; product: string }, records: Record<string, unknown>[]): Promise<string[]> {
    if (records.length === 0) return [];
    const maxBytes = (this.bus.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD) - ENVELOPE_ROOM;
    const ids: string[] = [];
    let chunk: string[] = [];
    let bytes = 0;
    for (const record of records) {
      const json = JSON.stringify(record);
      const size = Buffer.byteLength(json) + 1;
      if (chunk.length > 0 && (chunk.length >= MAX_RECORDS || bytes + size > maxBytes)) {
        ids.push(await this.send(sensor, chunk));
        chunk = [];
        bytes = 0;
      }
      chunk.push(json);
      bytes += size;
    }
    if (chunk.length) ids.push(await this.send(sensor, chunk));
    return ids;
  }

  private async send(sensor: { sensorId: string; customerId: string; product: string }, records: string[]): Promise<string> {
    const eventId = randomUUID();
    const correlationId = currentCorrelationId();
    // The envelope is written by hand around records serialized once: re-serializing thousands
    // of ECS documents for one message would cost more than the database insert.
    const head = JSON.stringify({
      eventId,
      subject: LogsReceived.subject,
      occurredAt: new Date().toISOString(),
      customerId: sensor.customerId,
      ...(correlationId ? { correlationId } : {}),
    });
    const payload = `${head.slice(0, -1)},"body":{"sensorId":${JSON.stringify(sensor.sensorId)},"product":${JSON.stringify(sensor.product)},"records":[${records.join(',')}]}}`;
    const h = natsHeaders();
    if (correlationId) h.set(CORRELATION_HEADER, correlationId);
    const data = Buffer.from(payload);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.bus.js.publish(this.bus.subjectOf(LogsReceived), data, { msgID: eventId, headers: h });
        published.inc();
        return eventId;
      } catch (err) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          failed.inc();
          // The events are committed and searchable; only analysis's copy of this batch is lost.
          this.log.error({ err, eventId, sensorId: sensor.sensorId, records: records.length }, 'logs.received batch not published after retries');
          return eventId;
        }
        await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
      }
    }
  }
}
