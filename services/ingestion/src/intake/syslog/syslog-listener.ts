import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_SAMPLE_BYTES, FramingResult, SyslogFramer } from './syslog-framing';
import { normalizeRemoteAddress, SensorRef } from '../sensor-ref';

// Syslog listeners (UDP, TCP, TLS) of the ingestion service. They frame bytes into records,
// attribute each record to the sensor registered for the source address and hand records over
// in batches; parsing and storage belong to the callbacks.

export type SyslogTransport = 'udp' | 'tcp' | 'tls';

export interface SyslogRecord {
  bytes: Buffer;
  receivedAt: Date;
}

export interface SyslogMeta {
  transport: SyslogTransport;
  remoteAddress: string;
}

export interface SyslogRejection extends SyslogMeta {
  reason: string;
  sample: Buffer;
  // set when the source is a known sensor (an oversized frame, a frame cut by a reset)
  sensor?: SensorRef;
}

export interface SyslogTlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer | Array<string | Buffer>;
  // ask for a client certificate and refuse clients without one signed by `ca`
  requestCert?: boolean;
}

export interface SyslogServerOptions {
  host?: string;
  // a transport is enabled when its port is set; 0 picks a free port
  udpPort?: number;
  tcpPort?: number;
  tlsPort?: number;
  tls?: SyslogTlsOptions;
  maxFrameBytes?: number;
  // TCP and TLS connections together
  maxConnections?: number;
  idleTimeoutMs?: number;
  batchMaxRecords?: number;
  batchMaxDelayMs?: number;
  // batches of one TCP/TLS connection being delivered at once (the next one is parsed while the
  // previous one is written); the socket is paused while all are taken
  batchesInFlightPerConnection?: number;
  // UDP cannot push back on a sender: past this many undelivered batches, new ones are dropped
  maxUdpBatchesInFlight?: number;
  // how long a source address -> sensor answer (including "unknown") is reused
  sensorCacheTtlMs?: number;
  sensorCacheMaxEntries?: number;
  // a flood from unknown sources must not become a flood of quarantine writes
  maxPendingRejections?: number;
  // waits between attempts when onRecords fails; the TCP socket stays paused meanwhile
  deliveryRetryDelaysMs?: number[];
  udpReceiveBufferBytes?: number;
  resolveSensor(remoteAddress: string): Promise<SensorRef | null>;
  onRecords(sensor: SensorRef, records: SyslogRecord[], meta: SyslogMeta): Promise<void>;
  onRejected(rejection: SyslogRejection): Promise<void>;
  // failures the listener recovered from (lookup errors, batches given up after retries,
  // TLS handshake failures, rejected onRejected calls); defaults to process.emitWarning
  onError?(err: Error, meta?: Partial<SyslogMeta>): void;
  // records let go to keep memory bounded (UDP cannot push back on a sender); they are counted
  // in stats() too, but an operator must hear of them: nothing is dropped silently
  onDropped?(drop: SyslogDrop): void;
}

export interface SyslogDrop {
  reason: 'udp_overload' | 'rejections_overload' | 'store_failed';
  records: number;
  transport: SyslogMeta['transport'];
  remoteAddress: string;
  sensor?: SensorRef;
}

export interface SyslogServerStats {
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
}

export interface SyslogListeningPorts {
  udpPort: number | null;
  tcpPort: number | null;
  tlsPort: number | null;
}

interface Connection {
  socket: net.Socket;
  meta: SyslogMeta;
  sensor: SensorRef;
  framer: SyslogFramer;
  batch: SyslogRecord[];
  timer: NodeJS.Timeout | null;
  queue: SyslogRecord[][];
  inFlight: number;
  // no more bytes will be framed (end of stream, idle timeout, stop)
  finished: boolean;
  closeWhenDrained: boolean;
  closed: Promise<void>;
}

interface UdpBatch {
  sensor: SensorRef;
  meta: SyslogMeta;
  records: SyslogRecord[];
  timer: NodeJS.Timeout | null;
}

interface CacheEntry {
  expiresAt: number;
  promise: Promise<SensorRef | null>;
  settled: boolean;
  value: SensorRef | null;
}

const NEWLINE = Buffer.from('\n');

const DEFAULTS = {
  host: '127.0.0.1',
  maxConnections: 1000,
  idleTimeoutMs: 10 * 60_000,
  batchMaxRecords: 500,
  batchMaxDelayMs: 50,
  batchesInFlightPerConnection: 2,
  maxUdpBatchesInFlight: 16,
  sensorCacheTtlMs: 10_000,
  sensorCacheMaxEntries: 10_000,
  maxPendingRejections: 100,
  deliveryRetryDelaysMs: [100, 500, 2_000],
  // how long an unknown TCP source gets to show its first bytes before it is disconnected
  unknownSourceSampleWaitMs: 1_000,
  tlsHandshakeTimeoutMs: 10_000,
};

export class SyslogServer {
  private readonly options: SyslogServerOptions;
  private readonly host: string;
  private readonly maxFrameBytes: number;
  private readonly maxConnections: number;
  private readonly idleTimeoutMs: number;
  private readonly batchMaxRecords: number;
  private readonly batchMaxDelayMs: number;
  private readonly batchesInFlight: number;
  private readonly maxUdpBatchesInFlight: number;
  private readonly retryDelays: number[];
  private readonly sensors: SensorCache;

  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private tlsServer: tls.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  // raw sockets under the TLS listener, from accept until they close
  private readonly handshaking = new Set<net.Socket>();
  private readonly connections = new Set<Connection>();
  private readonly udpBatches = new Map<string, UdpBatch>();
  private udpInFlight = 0;
  private pendingRejections = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private started = false;
  private stopping = false;
  private readonly counters: SyslogServerStats = {
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
  };

  constructor(options: SyslogServerOptions) {
    if (options.udpPort === undefined && options.tcpPort === undefined && options.tlsPort === undefined) {
      throw new Error('SyslogServer needs at least one of udpPort, tcpPort, tlsPort');
    }
    if (options.tlsPort !== undefined && !options.tls) {
      throw new Error('SyslogServer: tlsPort is set but tls {key, cert} is missing');
    }
    this.options = options;
    this.host = options.host ?? DEFAULTS.host;
    this.maxFrameBytes = positive('maxFrameBytes', options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.maxConnections = positive('maxConnections', options.maxConnections ?? DEFAULTS.maxConnections);
    this.idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs);
    this.batchMaxRecords = positive('batchMaxRecords', options.batchMaxRecords ?? DEFAULTS.batchMaxRecords);
    this.batchMaxDelayMs = positive('batchMaxDelayMs', options.batchMaxDelayMs ?? DEFAULTS.batchMaxDelayMs);
    this.batchesInFlight = positive('batchesInFlightPerConnection', options.batchesInFlightPerConnection ?? DEFAULTS.batchesInFlightPerConnection);
    this.maxUdpBatchesInFlight = positive(
      'maxUdpBatchesInFlight',
      options.maxUdpBatchesInFlight ?? DEFAULTS.maxUdpBatchesInFlight,
    );
    this.retryDelays = options.deliveryRetryDelaysMs ?? DEFAULTS.deliveryRetryDelaysMs;
    this.sensors = new SensorCache(
      options.resolveSensor,
      options.sensorCacheTtlMs ?? DEFAULTS.sensorCacheTtlMs,
      options.sensorCacheMaxEntries ?? DEFAULTS.sensorCacheMaxEntries,
    );
  }

  async start(): Promise<SyslogListeningPorts> {
    if (this.started) throw new Error('SyslogServer already started');
    this.started = true;
    const ports: SyslogListeningPorts = { udpPort: null, tcpPort: null, tlsPort: null };
    try {
      if (this.options.udpPort !== undefined) ports.udpPort = await this.listenUdp(this.options.udpPort);
      if (this.options.tcpPort !== undefined) {
        const server = net.createServer({ pauseOnConnect: true }, (socket) => this.onConnection(socket, 'tcp'));
        this.tcp = server;
        ports.tcpPort = await this.listenStream(server, this.options.tcpPort);
      }
      if (this.options.tlsPort !== undefined && this.options.tls) {
        ports.tlsPort = await this.listenTls(this.options.tls, this.options.tlsPort);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    return ports;
  }

  // Stop accepting, frame what was read, deliver every pending batch, then close the sockets.
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const closing: Promise<void>[] = [];
    if (this.udp) {
      const udp = this.udp;
      this.udp = null;
      closing.push(
        new Promise<void>((resolve) => {
          try {
            udp.close(() => resolve());
          } catch {
            // never bound (start failed): nothing to close
            resolve();
          }
        }),
      );
    }
    for (const server of [this.tcp, this.tlsServer]) {
      if (server) closing.push(new Promise<void>((resolve) => server.close(() => resolve())));
    }
    for (const batch of [...this.udpBatches.values()]) this.dispatchUdp(batch, true);
    const attached = new Set<net.Socket>();
    const drained: Promise<void>[] = [];
    for (const conn of this.connections) {
      attached.add(conn.socket);
      drained.push(conn.closed);
      this.finishInput(conn);
      conn.closeWhenDrained = true;
      this.pump(conn);
    }
    // sockets still waiting for their sensor lookup, or rejected ones showing their first bytes
    for (const socket of this.sockets) if (!attached.has(socket)) socket.destroy();
    await Promise.all(drained);
    // what is left are TLS handshakes that never completed
    for (const raw of this.handshaking) raw.destroy();
    await Promise.all(closing);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.sensors.clear();
  }

  stats(): SyslogServerStats {
    return { ...this.counters, connections: this.sockets.size };
  }

  // ---- UDP ---------------------------------------------------------------------------------

  private listenUdp(port: number): Promise<number> {
    const socket = dgram.createSocket({ type: net.isIPv6(this.host) ? 'udp6' : 'udp4' });
    this.udp = socket;
    return new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, this.host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.reportError(err, { transport: 'udp' }));
        if (this.options.udpReceiveBufferBytes) {
          try {
            socket.setRecvBufferSize(this.options.udpReceiveBufferBytes);
          } catch (err) {
            // the kernel caps it (net.core.rmem_max); the listener works with the default size
            this.reportError(new Error(`UDP receive buffer not resized: ${(err as Error).message}`, { cause: err }), { transport: 'udp' });
          }
        }
        socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
        resolve(socket.address().port);
      });
    });
  }

  private onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const receivedAt = new Date();
    const meta: SyslogMeta = { transport: 'udp', remoteAddress: normalizeRemoteAddress(rinfo.address) };
    const cached = this.sensors.peek(meta.remoteAddress);
    if (cached) {
      this.acceptDatagram(cached.value, msg, receivedAt, meta);
      return;
    }
    this.track(
      this.sensors.resolve(meta.remoteAddress).then(
        (sensor) => this.acceptDatagram(sensor, msg, receivedAt, meta),
        (err: Error) => {
          this.reportError(new Error(`sensor lookup for ${meta.remoteAddress} failed: ${err.message}`, { cause: err }), meta);
          // nothing to push back on with UDP: keep the datagram in quarantine rather than lose it
          this.reject({ ...meta, reason: `sensor lookup failed for ${meta.remoteAddress}`, sample: msg });
        },
      ),
    );
  }

  private acceptDatagram(sensor: SensorRef | null, msg: Buffer, receivedAt: Date, meta: SyslogMeta): void {
    if (!sensor) {
      this.reject({ ...meta, reason: `unknown source address ${meta.remoteAddress}`, sample: msg });
      return;
    }
    const key = `${sensor.sensorId}\u0000${meta.remoteAddress}`;
    for (const message of splitDatagram(msg)) {
      if (message.length > this.maxFrameBytes) {
        this.counters.oversized++;
        this.reject({
          ...meta,
          sensor,
          reason: `datagram message of ${message.length} bytes exceeds the ${this.maxFrameBytes} byte limit`,
          sample: message.subarray(0, DEFAULT_SAMPLE_BYTES),
        });
        continue;
      }
      this.counters.received++;
      let batch = this.udpBatches.get(key);
      if (!batch) {
        batch = { sensor, meta, records: [], timer: null };
        this.udpBatches.set(key, batch);
      }
      batch.records.push({ bytes: message, receivedAt });
      if (batch.records.length >= this.batchMaxRecords || this.stopping) {
        this.dispatchUdp(batch);
      } else if (!batch.timer) {
        const pending = batch;
        batch.timer = setTimeout(() => this.dispatchUdp(pending), this.batchMaxDelayMs);
      }
    }
  }

  private dispatchUdp(batch: UdpBatch, force = false): void {
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = null;
    this.udpBatches.delete(`${batch.sensor.sensorId}\u0000${batch.meta.remoteAddress}`);
    if (batch.records.length === 0) return;
    if (!force && !this.stopping && this.udpInFlight >= this.maxUdpBatchesInFlight) {
      this.counters.droppedUdp += batch.records.length;
      this.options.onDropped?.({ reason: 'udp_overload', records: batch.records.length, transport: 'udp', remoteAddress: batch.meta.remoteAddress, sensor: batch.sensor });
      return;
    }
    this.udpInFlight++;
    this.track(
      this.deliver(batch.sensor, batch.records, batch.meta).finally(() => {
        this.udpInFlight--;
      }),
    );
  }

  // ---- TCP and TLS -------------------------------------------------------------------------

  private listenStream(server: net.Server, port: number): Promise<number> {
    // the per-listener cap also bounds TLS handshakes in progress; onConnection caps the total
    server.maxConnections = this.maxConnections;
    server.on('drop', () => this.counters.refusedConnections++);
    return new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.reportError(err));
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  private listenTls(options: SyslogTlsOptions, port: number): Promise<number> {
    const requestCert = options.requestCert ?? false;
    const server = tls.createServer(
      {
        key: options.key,
        cert: options.cert,
        ca: options.ca,
        requestCert,
        rejectUnauthorized: requestCert,
        handshakeTimeout: Math.min(this.idleTimeoutMs, DEFAULTS.tlsHandshakeTimeoutMs),
      },
      (socket) => this.onConnection(socket, 'tls'),
    );
    server.on('connection', (raw: net.Socket) => {
      this.handshaking.add(raw);
      raw.once('close', () => this.handshaking.delete(raw));
    });
    server.on('tlsClientError', (err, socket) => {
      // with a listener attached Node leaves the socket open: a client stalled before its
      // handshake would hold a connection slot for ever
      socket.destroy();
      this.reportError(new Error(`TLS handshake failed: ${err.message}`, { cause: err }), {
        transport: 'tls',
        remoteAddress: normalizeRemoteAddress(socket.remoteAddress),
      });
    });
    this.tlsServer = server;
    return this.listenStream(server, port);
  }

  private onConnection(socket: net.Socket, transport: 'tcp' | 'tls'): void {
    socket.pause();
    if (this.stopping || !socket.remoteAddress) {
      socket.destroy();
      return;
    }
    if (this.sockets.size >= this.maxConnections) {
      this.counters.refusedConnections++;
      socket.destroy();
      return;
    }
    const meta: SyslogMeta = { transport, remoteAddress: normalizeRemoteAddress(socket.remoteAddress) };
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // resets are routine for syslog senders; 'close' follows and does the cleanup
    socket.on('error', () => undefined);
    socket.setTimeout(this.idleTimeoutMs);
    const destroyWhenIdle = () => socket.destroy();
    socket.once('timeout', destroyWhenIdle);
    this.track(
      this.sensors.resolve(meta.remoteAddress).then(
        (sensor) => {
          if (socket.destroyed) return;
          socket.off('timeout', destroyWhenIdle);
          if (sensor) this.attach(socket, sensor, meta);
          else this.refuseUnknown(socket, meta);
        },
        (err: Error) => {
          // the sender reconnects and sends again; nothing was read from it
          this.reportError(new Error(`sensor lookup for ${meta.remoteAddress} failed: ${err.message}`, { cause: err }), meta);
          socket.destroy();
        },
      ),
    );
  }

  // Nothing from an unknown address is attributed to any tenant. Its first bytes are kept with
  // the rejection so an operator can tell which device is knocking.
  private refuseUnknown(socket: net.Socket, meta: SyslogMeta): void {
    let reported = false;
    const report = (sample: Buffer) => {
      if (reported) return;
      reported = true;
      clearTimeout(timer);
      socket.destroy();
      this.reject({ ...meta, reason: `unknown source address ${meta.remoteAddress}`, sample });
    };
    const timer = setTimeout(() => report(Buffer.alloc(0)), Math.min(this.idleTimeoutMs, DEFAULTS.unknownSourceSampleWaitMs));
    socket.once('data', (chunk: Buffer) => report(Buffer.from(chunk.subarray(0, DEFAULT_SAMPLE_BYTES))));
    socket.once('close', () => report(Buffer.alloc(0)));
    socket.resume();
  }

  private attach(socket: net.Socket, sensor: SensorRef, meta: SyslogMeta): void {
    const conn: Connection = {
      socket,
      meta,
      sensor,
      framer: new SyslogFramer({ maxFrameBytes: this.maxFrameBytes }),
      batch: [],
      timer: null,
      queue: [],
      inFlight: 0,
      finished: false,
      closeWhenDrained: false,
      closed: new Promise<void>((resolve) => socket.once('close', () => resolve())),
    };
    this.connections.add(conn);
    socket.on('data', (chunk: Buffer) => {
      if (conn.finished) return;
      this.take(conn, conn.framer.pushChunk(chunk), new Date());
    });
    socket.on('end', () => this.finishInput(conn));
    socket.on('timeout', () => {
      // a paused socket waiting for its batch to be written is not idle; re-arm, as a fired
      // timeout only comes back after new activity
      if (conn.inFlight > 0 || conn.queue.length > 0) {
        socket.setTimeout(this.idleTimeoutMs);
        return;
      }
      this.finishInput(conn);
      conn.closeWhenDrained = true;
      this.pump(conn);
    });
    socket.on('close', () => {
      if (!conn.finished) {
        // reset or destroyed mid-stream: a partial frame is a cut message, not a record
        conn.finished = true;
        const rest = conn.framer.flush();
        for (const partial of rest.frames) {
          // the whole partial (at most maxFrameBytes) goes to quarantine
          this.reject({ ...meta, sensor: conn.sensor, reason: 'connection closed inside a frame', sample: partial });
        }
        this.take(conn, { frames: [], errors: rest.errors }, new Date());
      }
      this.enqueueBatch(conn);
      this.connections.delete(conn);
    });
    socket.resume();
  }

  private finishInput(conn: Connection): void {
    if (conn.finished) return;
    conn.finished = true;
    this.take(conn, conn.framer.flush(), new Date());
    this.enqueueBatch(conn);
  }

  private take(conn: Connection, result: FramingResult, receivedAt: Date): void {
    for (const error of result.errors) {
      if (error.kind === 'oversized') this.counters.oversized++;
      this.reject({ ...conn.meta, sensor: conn.sensor, reason: error.reason, sample: error.sample });
    }
    for (const bytes of result.frames) {
      this.counters.received++;
      conn.batch.push({ bytes, receivedAt });
      if (conn.batch.length >= this.batchMaxRecords) this.enqueueBatch(conn);
    }
    if (conn.batch.length > 0 && !conn.timer) {
      conn.timer = setTimeout(() => this.enqueueBatch(conn), this.batchMaxDelayMs);
    }
  }

  private enqueueBatch(conn: Connection): void {
    if (conn.timer) clearTimeout(conn.timer);
    conn.timer = null;
    if (conn.batch.length > 0) {
      conn.queue.push(conn.batch);
      conn.batch = [];
    }
    this.pump(conn);
  }

  // A few batches in flight per connection (by default two: one parsed while the other is
  // written), started in order. Once they are all taken the socket is paused, so a flood fills
  // the kernel buffers and TCP flow control slows the sender instead of growing this process.
  private pump(conn: Connection): void {
    while (conn.inFlight < this.batchesInFlight && conn.queue.length > 0) {
      const next = conn.queue.shift()!;
      conn.inFlight++;
      this.track(
        this.deliverFromConnection(conn, next).then((delivered) => {
          conn.inFlight--;
          // the sender believes these were received: closing makes it notice and reconnect
          if (!delivered) conn.socket.destroy();
          this.pump(conn);
        }),
      );
    }
    if (conn.inFlight === 0 && conn.closeWhenDrained) {
      conn.socket.destroy();
      return;
    }
    const full = conn.inFlight >= this.batchesInFlight;
    if (full && !conn.socket.isPaused()) {
      conn.socket.pause();
      this.counters.backpressurePauses++;
    } else if (!full && !conn.finished && conn.socket.isPaused()) {
      conn.socket.resume();
    }
  }

  // A connection can live for weeks: the address is looked up again (through the cache) for
  // every batch, so a sensor deleted or moved to another tenant stops receiving its records.
  private async deliverFromConnection(conn: Connection, records: SyslogRecord[]): Promise<boolean> {
    let sensor: SensorRef | null = conn.sensor;
    try {
      sensor = await this.sensors.resolve(conn.meta.remoteAddress);
    } catch {
      // a failing lookup is transient: the attribution made when the connection opened stands
    }
    if (!sensor) {
      this.reject({
        ...conn.meta,
        reason: `unknown source address ${conn.meta.remoteAddress}`,
        sample: Buffer.concat(records.flatMap((record) => [record.bytes, NEWLINE])),
      });
      conn.socket.destroy();
      return true;
    }
    conn.sensor = sensor;
    return this.deliver(sensor, records, conn.meta);
  }

  // ---- shared ------------------------------------------------------------------------------

  private async deliver(sensor: SensorRef, records: SyslogRecord[], meta: SyslogMeta): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.options.onRecords(sensor, records, meta);
        this.counters.delivered += records.length;
        return true;
      } catch (err) {
        if (attempt >= this.retryDelays.length) {
          this.counters.failedRecords += records.length;
          this.options.onDropped?.({ reason: 'store_failed', records: records.length, transport: meta.transport, remoteAddress: meta.remoteAddress, sensor });
          this.reportError(
            new Error(`gave up delivering ${records.length} records from ${meta.remoteAddress} (${meta.transport}) after ${attempt + 1} attempts`, {
              cause: err,
            }),
            meta,
          );
          return false;
        }
        await sleep(this.retryDelays[attempt]);
      }
    }
  }

  private reject(rejection: SyslogRejection): void {
    this.counters.rejected++;
    if (this.pendingRejections >= (this.options.maxPendingRejections ?? DEFAULTS.maxPendingRejections)) {
      this.counters.droppedRejections++;
      this.options.onDropped?.({ reason: 'rejections_overload', records: 1, transport: rejection.transport, remoteAddress: rejection.remoteAddress, sensor: rejection.sensor });
      return;
    }
    this.pendingRejections++;
    this.track(
      Promise.resolve()
        .then(() => this.options.onRejected(rejection))
        .catch((err: Error) => {
          this.reportError(new Error(`onRejected failed for ${rejection.remoteAddress}: ${err.message}`, { cause: err }), rejection);
        })
        .finally(() => {
          this.pendingRejections--;
        }),
    );
  }

  private reportError(err: Error, meta?: Partial<SyslogMeta>): void {
    if (this.options.onError) this.options.onError(err, meta);
    else process.emitWarning(err);
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }
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

class SensorCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly lookup: (remoteAddress: string) => Promise<SensorRef | null>,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  // The answer, when it is known and fresh; lets the UDP hot path skip a promise per datagram.
  peek(address: string): { value: SensorRef | null } | undefined {
    const entry = this.entries.get(address);
    if (!entry || !entry.settled || entry.expiresAt <= Date.now()) return undefined;
    return { value: entry.value };
  }

  resolve(address: string): Promise<SensorRef | null> {
    const now = Date.now();
    const entry = this.entries.get(address);
    if (entry && (!entry.settled || entry.expiresAt > now)) return entry.promise;
    if (entry) this.entries.delete(address);
    if (this.entries.size >= this.maxEntries) {
      // spoofed UDP sources could otherwise grow this without bound; Map order is insertion order
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const created: CacheEntry = {
      expiresAt: Number.POSITIVE_INFINITY,
      promise: Promise.resolve().then(() => this.lookup(address)),
      settled: false,
      value: null,
    };
    this.entries.set(address, created);
    created.promise.then(
      (value) => {
        created.settled = true;
        created.value = value;
        created.expiresAt = Date.now() + this.ttlMs;
      },
      () => {
        // a failed lookup is not an answer: the next record asks again
        if (this.entries.get(address) === created) this.entries.delete(address);
      },
    );
    return created.promise;
  }

  clear(): void {
    this.entries.clear();
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`SyslogServer: ${name} must be positive, got ${value}`);
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
