import type { IntakeMeta, IntakeRecord, IntakeTransport } from '../pipeline/intake-record';
import type { SensorRef } from '../sensor-ref';

// What the syslog listener hands over and how: records to onRecords (retried, bounded), refused
// frames to onRejected (bounded), what it let go to onDropped, recovered failures to onError.
// Shared by the UDP batches (syslog-datagrams.ts) and the TCP/TLS connections
// (syslog-connection.ts).

export type SyslogTransport = Extract<IntakeTransport, 'udp' | 'tcp' | 'tls'>;

// a syslog frame always has its bytes
export type SyslogRecord = IntakeRecord & { bytes: Buffer };

export interface SyslogMeta extends IntakeMeta {
  transport: SyslogTransport;
  remoteAddress: string;
  // TLS: the SHA-256 fingerprint of the client certificate that attributed the connection
  certificate?: string;
}

export interface SyslogRejection<S extends SensorRef = SensorRef> extends SyslogMeta {
  reason: string;
  sample: Buffer;
  // set when the source is a known sensor (an oversized frame, a frame cut by a reset)
  sensor?: S;
}

export interface SyslogDrop<S extends SensorRef = SensorRef> {
  reason: 'udp_overload' | 'rejections_overload' | 'store_failed';
  records: number;
  transport: SyslogTransport;
  remoteAddress: string;
  sensor?: S;
}

// A frame begun on a TCP/TLS connection and never ended: the connection was reset ('reset'), the
// listener stopped ('stop', a restart or shutdown), the connection sat idle past the timeout
// ('idle'), or the sender closed it ('end'). A cut octet-counted frame and a partial line on a
// reset are quarantined; a last line without trailer at 'end', 'stop' or 'idle' is still taken as
// a message (it may be whole), but counted, as it may not be.
export interface SyslogCut<S extends SensorRef = SensorRef> extends SyslogMeta {
  cause: 'reset' | 'stop' | 'idle' | 'end';
  bytes: number;
  sensor: S;
}

export interface SyslogListenerStats {
  // records framed from known sensors
  received: number;
  // records onRecords accepted
  delivered: number;
  // datagrams, connections and frames refused (unknown source, cut frames)
  rejected: number;
  // UDP records dropped because too many batches were in flight
  droppedUdp: number;
  oversized: number;
  // open TCP and TLS connections
  connections: number;
  refusedConnections: number;
  // records given up after every delivery retry failed
  failedRecords: number;
  // times a TCP/TLS socket was paused while its batch was delivered
  backpressurePauses: number;
  // rejections not reported because too many onRejected calls were pending
  droppedRejections: number;
  // TCP/TLS frames begun and never ended when their connection closed (SyslogCut)
  cutFrames: number;
}

export interface SyslogCallbacks<S extends SensorRef> {
  onRecords(sensor: S, records: SyslogRecord[], meta: SyslogMeta): Promise<void>;
  onRejected(rejection: SyslogRejection<S>): Promise<void>;
  // failures the listener recovered from (lookup errors, batches given up after retries,
  // TLS handshake failures, rejected onRejected calls); defaults to process.emitWarning
  onError?(err: Error, meta?: Partial<SyslogMeta>): void;
  // records let go to keep memory bounded (UDP cannot push back on a sender); they are counted
  // in stats() too, but an operator must hear of them: nothing is dropped silently
  onDropped?(drop: SyslogDrop<S>): void;
  // a frame a closing connection cut off (syslog over TCP has no acknowledgement: the sender
  // cannot know), so an operator hears of it
  onCutOff?(cut: SyslogCut<S>): void;
}

export class SyslogDelivery<S extends SensorRef> {
  readonly counters: SyslogListenerStats = {
    received: 0,
    delivered: 0,
    rejected: 0,
    droppedUdp: 0,
    oversized: 0,
    connections: 0,
    refusedConnections: 0,
    failedRecords: 0,
    backpressurePauses: 0,
    droppedRejections: 0,
    cutFrames: 0,
  };
  private pendingRejections = 0;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly callbacks: SyslogCallbacks<S>,
    // waits between attempts when onRecords fails
    private readonly retryDelaysMs: number[],
    // a flood from unknown sources must not become a flood of quarantine writes
    private readonly maxPendingRejections: number,
  ) {}

  // Whether onRecords took the records, trying again after each of retryDelaysMs.
  async deliver(sensor: S, records: SyslogRecord[], meta: SyslogMeta): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.callbacks.onRecords(sensor, records, meta);
        this.counters.delivered += records.length;
        return true;
      } catch (err) {
        if (attempt >= this.retryDelaysMs.length) {
          this.counters.failedRecords += records.length;
          this.dropped({ reason: 'store_failed', records: records.length, transport: meta.transport, remoteAddress: meta.remoteAddress, sensor });
          this.reportError(
            new Error(`gave up delivering ${records.length} records from ${meta.remoteAddress} (${meta.transport}) after ${attempt + 1} attempts`, {
              cause: err,
            }),
            meta,
          );
          return false;
        }
        await sleep(this.retryDelaysMs[attempt]);
      }
    }
  }

  reject(rejection: SyslogRejection<S>): void {
    this.counters.rejected++;
    if (this.pendingRejections >= this.maxPendingRejections) {
      this.counters.droppedRejections++;
      this.dropped({ reason: 'rejections_overload', records: 1, transport: rejection.transport, remoteAddress: rejection.remoteAddress, sensor: rejection.sensor });
      return;
    }
    this.pendingRejections++;
    this.track(
      Promise.resolve()
        .then(() => this.callbacks.onRejected(rejection))
        .catch((err: Error) => {
          this.reportError(new Error(`onRejected failed for ${rejection.remoteAddress}: ${err.message}`, { cause: err }), rejection);
        })
        .finally(() => {
          this.pendingRejections--;
        }),
    );
  }

  cutOff(cut: SyslogCut<S>): void {
    this.counters.cutFrames++;
    this.callbacks.onCutOff?.(cut);
  }

  dropped(drop: SyslogDrop<S>): void {
    this.callbacks.onDropped?.(drop);
  }

  reportError(err: Error, meta?: Partial<SyslogMeta>): void {
    if (this.callbacks.onError) this.callbacks.onError(err, meta);
    else process.emitWarning(err);
  }

  // Work stop() waits for.
  track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
