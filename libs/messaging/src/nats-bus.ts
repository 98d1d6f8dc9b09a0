import { connect, DiscardPolicy, JetStreamClient, JetStreamManager, NatsConnection, nanos, RetentionPolicy, StorageType, StreamConfig } from 'nats';
import { STREAMS, StreamDefinition, StreamName, EventDefinition } from '@kanshi/events';
import { createLogger } from '@kanshi/observability';

// One NATS connection per process; subjects and streams carry the environment's namespace so
// several environments (or parallel test runs) can share one NATS server.
export class NatsBus {
  private readonly log = createLogger('NatsBus');
  private constructor(
    readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly js: JetStreamClient,
    readonly namespace: string,
    // JetStream replicas of the streams this process creates (NATS_STREAM_REPLICAS): 1 on a single
    // server, 3 on the production cluster.
    readonly streamReplicas = 1,
  ) {}

  static async connect(opts: { url: string; name: string; namespace: string; streamReplicas?: number }): Promise<NatsBus> {
    const u = new URL(opts.url);
    const nc = await connect({
      servers: `${u.hostname}:${u.port || 4222}`,
      name: opts.name,
      user: u.username ? decodeURIComponent(u.username) : undefined,
      pass: u.password ? decodeURIComponent(u.password) : undefined,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      // nats.js otherwise builds an Error for every request (each JetStream publish) to keep its
      // stack for a possible timeout; at intake rates that showed up in CPU profiles.
      noAsyncTraces: true,
    });
    const jsm = await nc.jetstreamManager();
    return new NatsBus(nc, jsm, nc.jetstream(), opts.namespace, opts.streamReplicas ?? 1);
  }

  // A bus that is never connected, for building a service's schema without infrastructure.
  static offline(namespace: string): NatsBus {
    const fail = new Proxy({}, { get: () => { throw new Error('NATS is not connected (schema-only mode)'); } });
    return new NatsBus(fail as NatsConnection, fail as JetStreamManager, fail as JetStreamClient, namespace);
  }

  subjectOf(def: EventDefinition<unknown> | string): string {
    return `${this.namespace}.${typeof def === 'string' ? def : def.subject}`;
  }

  streamNameOf(name: StreamName): string {
    return `${this.namespace}_${name}`;
  }

  // Idempotent: creates missing streams, brings existing ones to the declared configuration.
  async ensureStreams(names: StreamName[]): Promise<void> {
    for (const name of new Set(names)) await this.ensureStream(STREAMS[name]);
  }

  private async ensureStream(def: StreamDefinition): Promise<void> {
    const config: Partial<StreamConfig> = {
      name: this.streamNameOf(def.name),
      subjects: def.subjects.map((s) => `${this.namespace}.${s}`),
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      // Re-publishing an outbox row after a crash within this window is dropped by the server.
      duplicate_window: nanos(10 * 60 * 1000),
      max_bytes: def.maxBytes ?? -1,
      max_age: def.maxAgeSeconds ? nanos(def.maxAgeSeconds * 1000) : 0,
      discard: DiscardPolicy.Old,
      num_replicas: this.streamReplicas,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const info = await this.jsm.streams.info(config.name!).catch((err: Error) => {
          if (/stream not found/i.test(err.message)) return null;
          throw err;
        });
        if (!info) {
          await this.jsm.streams.add(config);
          this.log.info({ stream: config.name }, 'stream created');
        } else if (JSON.stringify(info.config.subjects) !== JSON.stringify(config.subjects) || info.config.max_bytes !== config.max_bytes || info.config.num_replicas !== config.num_replicas) {
          await this.jsm.streams.update(config.name!, config);
          this.log.info({ stream: config.name }, 'stream updated');
        }
        return;
      } catch (err) {
        // Two services creating the same stream at once: the loser looks again.
        if (attempt < 2 && /already in use/i.test((err as Error).message)) continue;
        throw err;
      }
    }
  }

  async ping(): Promise<void> {
    if (this.nc.isClosed()) throw new Error('NATS connection is closed');
    await this.nc.rtt();
  }

  async drain(): Promise<void> {
    if (!this.nc.isClosed() && !this.nc.isDraining()) await this.nc.drain();
  }
}
