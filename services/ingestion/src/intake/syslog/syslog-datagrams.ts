import type { SensorRef } from '../sensor-ref';
import type { SyslogDelivery, SyslogMeta, SyslogRecord } from './syslog-delivery';
import { DEFAULT_SAMPLE_BYTES } from './syslog-framing';

export interface DatagramSettings {
  maxFrameBytes: number;
  batchMaxRecords: number;
  batchMaxDelayMs: number;
  // UDP cannot push back on a sender: past this many undelivered batches, new ones are dropped
  maxBatchesInFlight: number;
}

interface DatagramBatch<S extends SensorRef> {
  sensor: S;
  meta: SyslogMeta;
  records: SyslogRecord[];
  timer: NodeJS.Timeout | null;
}

// The UDP side of the listener once a datagram is attributed: its messages batched per source
// (sensor and address), a batch delivered when full or batchMaxDelayMs after its first record.
export class SyslogDatagrams<S extends SensorRef> {
  private readonly batches = new Map<string, DatagramBatch<S>>();
  private inFlight = 0;
  // stop(): every batch goes out at once, none is dropped
  private flushing = false;

  constructor(
    private readonly settings: DatagramSettings,
    private readonly delivery: SyslogDelivery<S>,
  ) {}

  accept(sensor: S, msg: Buffer, receivedAt: Date, meta: SyslogMeta): void {
    const key = batchKey(sensor, meta);
    for (const message of splitDatagram(msg)) {
      if (message.length > this.settings.maxFrameBytes) {
        this.delivery.counters.oversized++;
        this.delivery.reject({
          ...meta,
          sensor,
          reason: `datagram message of ${message.length} bytes exceeds the ${this.settings.maxFrameBytes} byte limit`,
          sample: message.subarray(0, DEFAULT_SAMPLE_BYTES),
        });
        continue;
      }
      this.delivery.counters.received++;
      let batch = this.batches.get(key);
      if (!batch) {
        batch = { sensor, meta, records: [], timer: null };
        this.batches.set(key, batch);
      }
      batch.records.push({ bytes: message, receivedAt });
      if (batch.records.length >= this.settings.batchMaxRecords || this.flushing) {
        this.dispatch(batch);
      } else if (!batch.timer) {
        const pending = batch;
        batch.timer = setTimeout(() => this.dispatch(pending), this.settings.batchMaxDelayMs);
      }
    }
  }

  // At stop: every pending batch is delivered, whatever is in flight.
  flush(): void {
    this.flushing = true;
    for (const batch of [...this.batches.values()]) this.dispatch(batch);
  }

  private dispatch(batch: DatagramBatch<S>): void {
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = null;
    this.batches.delete(batchKey(batch.sensor, batch.meta));
    if (batch.records.length === 0) return;
    if (!this.flushing && this.inFlight >= this.settings.maxBatchesInFlight) {
      this.delivery.counters.droppedUdp += batch.records.length;
      this.delivery.dropped({ reason: 'udp_overload', records: batch.records.length, transport: 'udp', remoteAddress: batch.meta.remoteAddress, sensor: batch.sensor });
      return;
    }
    this.inFlight++;
    this.delivery.track(
      this.delivery.deliver(batch.sensor, batch.records, batch.meta).finally(() => {
        this.inFlight--;
      }),
    );
  }
}

function batchKey(sensor: SensorRef, meta: SyslogMeta): string {
  return `${sensor.sensorId}\u0000${meta.remoteAddress}`;
}

// Some devices pack several newline-separated messages into one datagram.
export function splitDatagram(msg: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= msg.length; i++) {
    if (i < msg.length && msg[i] !== 0x0a && msg[i] !== 0x00) continue;
    let end = i;
    if (end > start && msg[end - 1] === 0x0d) end--;
    if (end > start) out.push(msg.subarray(start, end));
    start = i + 1;
  }
  return out;
}
