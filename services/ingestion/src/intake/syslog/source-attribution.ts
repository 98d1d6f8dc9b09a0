import type net from 'node:net';
import { DEFAULT_SAMPLE_BYTES } from './syslog-framing';
import type { SensorRef } from '../sensor-ref';
import type { SyslogDelivery, SyslogMeta, SyslogRecord } from './syslog-delivery';

// Which sensor a syslog source address belongs to. Syslog carries no credentials: a record is
// attributed to the sensor registered for the address it came from, or to nobody (it is refused
// and quarantined without a tenant). The answers come from the sensor directory, whose cache is
// the only one (invalidated when a sensor changes).
export interface SensorLookup<S extends SensorRef> {
  resolveSensor(remoteAddress: string): Promise<S | null>;
  // TLS: the sensor a client certificate (its SHA-256 fingerprint) is bound to
  resolveByCertificate?(fingerprint256: string): Promise<S | null>;
  // the answer when it is at hand (cached), so the UDP hot path makes no promise per datagram
  peekSensor?(remoteAddress: string): { value: S | null } | undefined;
}

const NEWLINE = Buffer.from('\n');

export class SourceAttribution<S extends SensorRef> {
  constructor(
    private readonly lookup: SensorLookup<S>,
    private readonly delivery: SyslogDelivery<S>,
    // how long an unknown TCP source gets to show its first bytes before it is disconnected
    private readonly unknownSampleWaitMs: number,
  ) {}

  peek(address: string): { value: S | null } | undefined {
    return this.lookup.peekSensor?.(address);
  }

  resolve(address: string): Promise<S | null> {
    return Promise.resolve().then(() => this.lookup.resolveSensor(address));
  }

  // A connection can live for weeks: the address is looked up again (through the cache) for
  // every batch, so a sensor deleted or moved to another tenant stops receiving its records.
  async recheck(meta: SyslogMeta, current: S): Promise<S | null> {
    try {
      // a connection attributed by its client certificate stays the certificate's
      if (meta.certificate && this.lookup.resolveByCertificate) return await this.lookup.resolveByCertificate(meta.certificate);
      return await this.resolve(meta.remoteAddress);
    } catch {
      // a failing lookup is transient: the attribution made when the connection opened stands
      return current;
    }
  }

  lookupFailed(meta: SyslogMeta, err: Error): void {
    this.delivery.reportError(new Error(`sensor lookup for ${meta.remoteAddress} failed: ${err.message}`, { cause: err }), meta);
  }

  // Records of a source that belongs to no sensor (any more): refused with their bytes.
  refuseRecords(meta: SyslogMeta, records: SyslogRecord[]): void {
    this.refuse(meta, Buffer.concat(records.flatMap((record) => [record.bytes, NEWLINE])));
  }

  refuse(meta: SyslogMeta, sample: Buffer, reason = `unknown source address ${meta.remoteAddress}`): void {
    this.delivery.reject({ ...meta, reason, sample });
  }

  // Nothing from an unknown address is attributed to any tenant. Its first bytes are kept with
  // the rejection so an operator can tell which device is knocking.
  refuseConnection(socket: net.Socket, meta: SyslogMeta, reason?: string): void {
    let reported = false;
    const report = (sample: Buffer) => {
      if (reported) return;
      reported = true;
      clearTimeout(timer);
      socket.destroy();
      this.refuse(meta, sample, reason);
    };
    const timer = setTimeout(() => report(Buffer.alloc(0)), this.unknownSampleWaitMs);
    socket.once('data', (chunk: Buffer) => report(Buffer.from(chunk.subarray(0, DEFAULT_SAMPLE_BYTES))));
    socket.once('close', () => report(Buffer.alloc(0)));
    socket.resume();
  }
}
