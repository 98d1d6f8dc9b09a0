import type net from 'node:net';
import type { SensorRef } from '../sensor-ref';
import type { SourceAttribution } from './source-attribution';
import type { SyslogDelivery, SyslogMeta, SyslogRecord } from './syslog-delivery';
import { FramingResult, SyslogFramer } from './syslog-framing';

export interface ConnectionSettings {
  maxFrameBytes: number;
  idleTimeoutMs: number;
  batchMaxRecords: number;
  batchMaxDelayMs: number;
  // batches being delivered at once; the socket is paused while all are taken
  batchesInFlight: number;
}

// One TCP or TLS connection of a known sensor: its bytes framed into records, the records
// batched, the batches delivered in order a few at a time, the socket paused while they are
// all taken (TCP flow control then slows the sender instead of growing this process).
export class SyslogConnection<S extends SensorRef> {
  // resolves once the socket is closed
  readonly closed: Promise<void>;
  private readonly framer: SyslogFramer;
  private batch: SyslogRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly queue: SyslogRecord[][] = [];
  private inFlight = 0;
  // no more bytes will be framed (end of stream, idle timeout, stop)
  private finished = false;
  private closeWhenDrained = false;

  constructor(
    readonly socket: net.Socket,
    private sensor: S,
    private readonly meta: SyslogMeta,
    private readonly settings: ConnectionSettings,
    private readonly attribution: SourceAttribution<S>,
    private readonly delivery: SyslogDelivery<S>,
    onClosed: () => void,
  ) {
    this.framer = new SyslogFramer({ maxFrameBytes: settings.maxFrameBytes });
    this.closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      if (this.finished) return;
      this.take(this.framer.pushChunk(chunk), new Date());
    });
    socket.on('end', () => this.finishInput('end'));
    socket.on('timeout', () => {
      // a paused socket waiting for its batch to be written is not idle; re-arm, as a fired
      // timeout only comes back after new activity
      if (this.inFlight > 0 || this.queue.length > 0) {
        socket.setTimeout(settings.idleTimeoutMs);
        return;
      }
      this.drainAndClose('idle');
    });
    socket.on('close', () => {
      if (!this.finished) {
        // reset or destroyed mid-stream: a partial frame is a cut message, not a record
        this.finished = true;
        this.noteCut('reset');
        const rest = this.framer.flush();
        for (const partial of rest.frames) {
          // the whole partial (at most maxFrameBytes) goes to quarantine
          this.delivery.reject({ ...meta, sensor: this.sensor, reason: 'connection closed inside a frame', sample: partial });
        }
        this.take({ frames: [], errors: rest.errors }, new Date());
      }
      this.enqueueBatch();
      onClosed();
    });
    socket.resume();
  }

  // Frame what was read, deliver every pending batch, then close (idle timeout, stop).
  drainAndClose(cause: 'stop' | 'idle' = 'stop'): void {
    this.finishInput(cause);
    this.closeWhenDrained = true;
    this.pump();
  }

  private finishInput(cause: 'end' | 'stop' | 'idle'): void {
    if (this.finished) return;
    this.finished = true;
    this.noteCut(cause);
    this.take(this.framer.flush(), new Date());
    this.enqueueBatch();
  }

  // A frame begun and not ended as the connection stops being read.
  private noteCut(cause: 'reset' | 'end' | 'stop' | 'idle'): void {
    const bytes = this.framer.pendingBytes;
    if (bytes > 0) this.delivery.cutOff({ ...this.meta, sensor: this.sensor, cause, bytes });
  }

  private take(result: FramingResult, receivedAt: Date): void {
    for (const error of result.errors) {
      if (error.kind === 'oversized') this.delivery.counters.oversized++;
      this.delivery.reject({ ...this.meta, sensor: this.sensor, reason: error.reason, sample: error.sample });
    }
    for (const bytes of result.frames) {
      this.delivery.counters.received++;
      this.batch.push({ bytes, receivedAt });
      if (this.batch.length >= this.settings.batchMaxRecords) this.enqueueBatch();
    }
    if (this.batch.length > 0 && !this.timer) {
      this.timer = setTimeout(() => this.enqueueBatch(), this.settings.batchMaxDelayMs);
    }
  }

  private enqueueBatch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.batch.length > 0) {
      this.queue.push(this.batch);
      this.batch = [];
    }
    this.pump();
  }

  // A few batches in flight (by default two: one parsed while the other is written), started
  // in order. Once they are all taken the socket is paused, so a flood fills the kernel buffers
  // and TCP flow control slows the sender instead of growing this process.
  private pump(): void {
    while (this.inFlight < this.settings.batchesInFlight && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.inFlight++;
      this.delivery.track(
        this.deliver(next).then((delivered) => {
          this.inFlight--;
          // the sender believes these were received: closing makes it notice and reconnect
          if (!delivered) this.socket.destroy();
          this.pump();
        }),
      );
    }
    if (this.inFlight === 0 && this.closeWhenDrained) {
      this.socket.destroy();
      return;
    }
    const full = this.inFlight >= this.settings.batchesInFlight;
    if (full && !this.socket.isPaused()) {
      this.socket.pause();
      this.delivery.counters.backpressurePauses++;
    } else if (!full && !this.finished && this.socket.isPaused()) {
      this.socket.resume();
    }
  }

  private async deliver(records: SyslogRecord[]): Promise<boolean> {
    const sensor = await this.attribution.recheck(this.meta, this.sensor);
    if (!sensor) {
      this.attribution.refuseRecords(this.meta, records);
      this.socket.destroy();
      return true;
    }
    this.sensor = sensor;
    return this.delivery.deliver(sensor, records, this.meta);
  }
}
