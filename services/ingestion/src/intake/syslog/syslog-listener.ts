import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { normalizeRemoteAddress, SensorRef } from '../sensor-ref';
import { SensorLookup, SourceAttribution } from './source-attribution';
import { ConnectionSettings, SyslogConnection } from './syslog-connection';
import { SyslogDatagrams } from './syslog-datagrams';
import { SyslogCallbacks, SyslogDelivery, SyslogListenerStats, SyslogMeta } from './syslog-delivery';
import { DEFAULT_MAX_FRAME_BYTES } from './syslog-framing';

// Syslog listeners (UDP, TCP, TLS) of the ingestion service: the sockets. Records are framed and
// batched per connection (syslog-connection.ts) or per UDP source (syslog-datagrams.ts),
// attributed to the sensor registered for the source address (source-attribution.ts) and handed
// over (syslog-delivery.ts); parsing and storage belong to the callbacks.

export interface SyslogTlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer | Array<string | Buffer>;
  // ask for a client certificate and refuse clients without one signed by `ca`
  requestCert?: boolean;
}

export interface SyslogListenerOptions<S extends SensorRef = SensorRef> extends SensorLookup<S>, SyslogCallbacks<S> {
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
  // a flood from unknown sources must not become a flood of quarantine writes
  maxPendingRejections?: number;
  // waits between attempts when onRecords fails; the TCP socket stays paused meanwhile
  deliveryRetryDelaysMs?: number[];
  udpReceiveBufferBytes?: number;
}

export interface SyslogListeningPorts {
  udpPort: number | null;
  tcpPort: number | null;
  tlsPort: number | null;
}

const DEFAULTS = {
  host: '127.0.0.1',
  maxConnections: 1000,
  idleTimeoutMs: 10 * 60_000,
  batchMaxRecords: 500,
  batchMaxDelayMs: 50,
  batchesInFlightPerConnection: 2,
  maxUdpBatchesInFlight: 16,
  maxPendingRejections: 100,
  deliveryRetryDelaysMs: [100, 500, 2_000],
  // how long an unknown TCP source gets to show its first bytes before it is disconnected
  unknownSourceSampleWaitMs: 1_000,
  tlsHandshakeTimeoutMs: 10_000,
};

export class SyslogListener<S extends SensorRef = SensorRef> {
  private readonly options: SyslogListenerOptions<S>;
  private readonly host: string;
  private readonly maxConnections: number;
  private readonly idleTimeoutMs: number;
  private readonly delivery: SyslogDelivery<S>;
  private readonly attribution: SourceAttribution<S>;
  private readonly datagrams: SyslogDatagrams<S>;
  private readonly connectionSettings: ConnectionSettings;

  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private tlsServer: tls.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  // raw sockets under the TLS listener, from accept until they close
  private readonly handshaking = new Set<net.Socket>();
  private readonly connections = new Set<SyslogConnection<S>>();
  private started = false;
  private stopping = false;

  constructor(options: SyslogListenerOptions<S>) {
    if (options.udpPort === undefined && options.tcpPort === undefined && options.tlsPort === undefined) {
      throw new Error('SyslogListener needs at least one of udpPort, tcpPort, tlsPort');
    }
    if (options.tlsPort !== undefined && !options.tls) {
      throw new Error('SyslogListener: tlsPort is set but tls {key, cert} is missing');
    }
    this.options = options;
    this.host = options.host ?? DEFAULTS.host;
    const maxFrameBytes = positive('maxFrameBytes', options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.maxConnections = positive('maxConnections', options.maxConnections ?? DEFAULTS.maxConnections);
    this.idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs);
    const batchMaxRecords = positive('batchMaxRecords', options.batchMaxRecords ?? DEFAULTS.batchMaxRecords);
    const batchMaxDelayMs = positive('batchMaxDelayMs', options.batchMaxDelayMs ?? DEFAULTS.batchMaxDelayMs);
    const batchesInFlight = positive('batchesInFlightPerConnection', options.batchesInFlightPerConnection ?? DEFAULTS.batchesInFlightPerConnection);
    const maxUdpBatchesInFlight = positive('maxUdpBatchesInFlight', options.maxUdpBatchesInFlight ?? DEFAULTS.maxUdpBatchesInFlight);
    this.delivery = new SyslogDelivery(
      options,
      options.deliveryRetryDelaysMs ?? DEFAULTS.deliveryRetryDelaysMs,
      options.maxPendingRejections ?? DEFAULTS.maxPendingRejections,
    );
    this.attribution = new SourceAttribution(options, this.delivery, Math.min(this.idleTimeoutMs, DEFAULTS.unknownSourceSampleWaitMs));
    this.datagrams = new SyslogDatagrams({ maxFrameBytes, batchMaxRecords, batchMaxDelayMs, maxBatchesInFlight: maxUdpBatchesInFlight }, this.delivery);
    this.connectionSettings = { maxFrameBytes, idleTimeoutMs: this.idleTimeoutMs, batchMaxRecords, batchMaxDelayMs, batchesInFlight };
  }

  async start(): Promise<SyslogListeningPorts> {
    if (this.started) throw new Error('SyslogListener already started');
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
    this.datagrams.flush();
    const attached = new Set<net.Socket>();
    const drained: Promise<void>[] = [];
    for (const conn of this.connections) {
      attached.add(conn.socket);
      drained.push(conn.closed);
      conn.drainAndClose();
    }
    // sockets still waiting for their sensor lookup, or rejected ones showing their first bytes
    for (const socket of this.sockets) if (!attached.has(socket)) socket.destroy();
    await Promise.all(drained);
    // what is left are TLS handshakes that never completed
    for (const raw of this.handshaking) raw.destroy();
    await Promise.all(closing);
    await this.delivery.settled();
  }

  stats(): SyslogListenerStats {
    return { ...this.delivery.counters, connections: this.sockets.size };
  }

  // ---- UDP ---------------------------------------------------------------------------------

  private listenUdp(port: number): Promise<number> {
    const socket = dgram.createSocket({ type: net.isIPv6(this.host) ? 'udp6' : 'udp4' });
    this.udp = socket;
    return new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, this.host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.delivery.reportError(err, { transport: 'udp' }));
        if (this.options.udpReceiveBufferBytes) {
          try {
            socket.setRecvBufferSize(this.options.udpReceiveBufferBytes);
          } catch (err) {
            // the kernel caps it (net.core.rmem_max); the listener works with the default size
            this.delivery.reportError(new Error(`UDP receive buffer not resized: ${(err as Error).message}`, { cause: err }), { transport: 'udp' });
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
    const cached = this.attribution.peek(meta.remoteAddress);
    if (cached) {
      this.acceptDatagram(cached.value, msg, receivedAt, meta);
      return;
    }
    this.delivery.track(
      this.attribution.resolve(meta.remoteAddress).then(
        (sensor) => this.acceptDatagram(sensor, msg, receivedAt, meta),
        (err: Error) => {
          this.attribution.lookupFailed(meta, err);
          // nothing to push back on with UDP: keep the datagram in quarantine rather than lose it
          this.delivery.reject({ ...meta, reason: `sensor lookup failed for ${meta.remoteAddress}`, sample: msg });
        },
      ),
    );
  }

  private acceptDatagram(sensor: S | null, msg: Buffer, receivedAt: Date, meta: SyslogMeta): void {
    if (sensor && sensor.acceptUdp === false) this.delivery.reject({ ...meta, reason: `sensor ${sensor.sensorId} refuses syslog over UDP (use TCP or TLS)`, sample: msg, sensor });
    else if (sensor) this.datagrams.accept(sensor, msg, receivedAt, meta);
    else this.attribution.refuse(meta, msg);
  }

  // ---- TCP and TLS -------------------------------------------------------------------------

  private listenStream(server: net.Server, port: number): Promise<number> {
    // the per-listener cap also bounds TLS handshakes in progress; onConnection caps the total
    server.maxConnections = this.maxConnections;
    server.on('drop', () => this.delivery.counters.refusedConnections++);
    return new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.delivery.reportError(err));
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
      this.delivery.reportError(new Error(`TLS handshake failed: ${err.message}`, { cause: err }), {
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
      this.delivery.counters.refusedConnections++;
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
    // A TLS client presenting a certificate is its certificate's sensor (or nobody's), whatever
    // address it comes from; without one, its source address decides, as for TCP.
    const fingerprint = transport === 'tls' && this.options.resolveByCertificate ? peerFingerprint(socket) : undefined;
    if (fingerprint) meta.certificate = fingerprint;
    const lookup = fingerprint ? this.options.resolveByCertificate!(fingerprint) : this.attribution.resolve(meta.remoteAddress);
    this.delivery.track(
      lookup.then(
        (sensor) => {
          if (socket.destroyed) return;
          socket.off('timeout', destroyWhenIdle);
          if (sensor) this.attach(socket, sensor, meta);
          else this.attribution.refuseConnection(socket, meta, fingerprint ? `client certificate ${fingerprint} is bound to no sensor` : undefined);
        },
        (err: Error) => {
          // the sender reconnects and sends again; nothing was read from it
          this.attribution.lookupFailed(meta, err);
          socket.destroy();
        },
      ),
    );
  }

  private attach(socket: net.Socket, sensor: S, meta: SyslogMeta): void {
    const conn: SyslogConnection<S> = new SyslogConnection(socket, sensor, meta, this.connectionSettings, this.attribution, this.delivery, () =>
      this.connections.delete(conn),
    );
    this.connections.add(conn);
  }
}

function peerFingerprint(socket: net.Socket): string | undefined {
  const cert = (socket as tls.TLSSocket).getPeerCertificate?.();
  return cert && typeof cert.fingerprint256 === 'string' && cert.fingerprint256 ? cert.fingerprint256.toUpperCase() : undefined;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`SyslogListener: ${name} must be positive, got ${value}`);
  return value;
}
