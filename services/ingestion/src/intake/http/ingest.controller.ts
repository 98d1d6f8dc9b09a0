import { Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EntityManager } from 'typeorm';
import { counter } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../../config';
import { LivenessService } from '../../liveness/liveness.service';
import { normalizeRemoteAddress } from '../sensor-ref';
import { IntakeSensor, SensorDirectory } from '../../sensors/sensor-directory.service';
import { decompress } from './http-body';
import { IngestService } from '../pipeline/ingest.service';
import { RecordResult } from '../pipeline/parse-batch';
import { httpIntakeKey, IntakeKey, keyConflictMessage } from '../idempotency/intake-key';
import { IntakeRequestsRepository, StoredAnswer } from '../idempotency/intake-requests.repository';
import { replayed } from '../idempotency/replayed';
import { RateLimiter } from './rate-limiter';

const refused = counter('kanshi_ingest_http_refused_total', 'HTTPS intake requests refused before storage', ['status']);

// The answer to a stored batch: 200 when anything was accepted; nothing usable, a 4xx, so the
// sender does not retry what is already in quarantine.
function answerOf(results: RecordResult[]): { status: number; body: { accepted: number; quarantined: number; results: RecordResult[] } } {
  const accepted = results.filter((r) => r.status === 'accepted').length;
  return { status: accepted > 0 || results.length === 0 ? 200 : 422, body: { accepted, quarantined: results.length - accepted, results } };
}

// HTTPS intake: each request is authenticated to one sensor by its ingest token. The answer says
// what happened to every record (accepted, or quarantined with the parser's reason), and comes
// only after the accepted ones are stored. A request comes again when a sender lost the answer:
// its Idempotency-Key (else a digest of its body) finds the first answer, which is answered
// again, and nothing is stored twice (docs/ingestion.md, "Resends").
@Controller('ingest/v1/sensors')
export class IngestController {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly sensors: SensorDirectory,
    private readonly ingest: IngestService,
    private readonly liveness: LivenessService,
    private readonly requests: IntakeRequestsRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
  ) {
    this.limiter = new RateLimiter(config.INGEST_RATE_PER_SENSOR, config.INGEST_BURST_PER_SENSOR);
  }

  @Post(':sensorId/events')
  async events(@Param('sensorId') sensorId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const receivedAt = new Date();
    const sensor = await this.authenticate(sensorId, req, reply);
    if (!sensor) return;
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) return this.refuse(reply, 400, 'empty body');
    const body = await decompress(req.body, header(req, 'content-encoding'), this.config.INGEST_MAX_BODY_BYTES);
    if (!body.ok) return this.refuse(reply, body.status, body.error);
    const derived = httpIntakeKey({
      sensorId: sensor.sensorId,
      idempotencyKey: header(req, 'idempotency-key'),
      body: body.body,
      keyHours: this.config.INGEST_IDEMPOTENCY_KEY_HOURS,
      digestWindowHours: this.config.INGEST_DIGEST_WINDOW_HOURS,
    });
    if (!derived.ok) return this.refuse(reply, 400, derived.error);
    const key = derived.key;
    // a resend is answered before the rate limit: it costs no storage
    const prior = key ? await this.requests.find(sensor.sensorId, key.key) : null;
    if (key && prior) return this.replay(reply, sensor, key, prior);
    const admitted = this.limiter.admit(sensor.sensorId);
    if (!admitted.ok) {
      reply.header('retry-after', String(admitted.retryAfterSeconds));
      return this.refuse(reply, 429, `rate limit of ${this.config.INGEST_RATE_PER_SENSOR} records/s for this sensor exceeded; retry after ${admitted.retryAfterSeconds} s`);
    }
    // Split into records (JSON object, array, NDJSON or lines), parsed and stored; the key and the
    // answer first, in the same transaction.
    const claim = key
      ? (em: EntityManager, results: RecordResult[]) =>
          this.requests.claim(em, { sensorId: sensor.sensorId, customerId: sensor.customerId, transport: 'https', key, ...answerOf(results) })
      : undefined;
    const outcome = await this.ingest.ingestBody(sensor, body.body, header(req, 'content-type'), receivedAt, { transport: 'https', remoteAddress: normalizeRemoteAddress(req.ip) }, claim);
    if (outcome.error) return this.refuse(reply, 400, outcome.error);
    if (outcome.held) {
      // the same key was stored meanwhile by a request running at the same time
      const first = await this.requests.find(sensor.sensorId, key!.key);
      if (first) return this.replay(reply, sensor, key!, first);
      return this.refuse(reply, 409, `a request with the same ${key!.source === 'idempotency-key' ? 'Idempotency-Key' : 'body'} is being stored; retry`);
    }
    this.limiter.consume(sensor.sensorId, outcome.results.length);
    const answer = answerOf(outcome.results);
    reply.status(answer.status).send(answer.body);
  }

  // The first answer again, or 422 when the key stood for another body.
  private replay(reply: FastifyReply, sensor: IntakeSensor, key: IntakeKey, prior: StoredAnswer): void {
    if (prior.digest !== key.digest) return this.refuse(reply, 422, keyConflictMessage(key));
    replayed.inc({ transport: 'https', key: key.source });
    // a sensor resending is alive (as a heartbeat is: its events were counted the first time)
    this.liveness.seen(sensor.sensorId, new Date(), false);
    reply.header('idempotent-replayed', 'true').status(prior.status).send(prior.body);
  }

  @Post(':sensorId/heartbeat')
  async heartbeat(@Param('sensorId') sensorId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const sensor = await this.authenticate(sensorId, req, reply);
    if (!sensor) return;
    const take = this.limiter.take(sensor.sensorId, 1);
    if (!take.ok) {
      reply.header('retry-after', String(take.retryAfterSeconds));
      return this.refuse(reply, 429, 'rate limit exceeded');
    }
    const at = new Date();
    this.liveness.seen(sensor.sensorId, at, false);
    await this.liveness.flush();
    reply.status(200).send({ sensorId: sensor.sensorId, status: 'UP', lastSeenAt: at.toISOString() });
  }

  // Unknown sensor, revoked sensor and wrong token look the same: 401, nothing stored.
  private async authenticate(sensorId: string, req: FastifyRequest, reply: FastifyReply): Promise<IntakeSensor | null> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
    const sensor = m ? await this.sensors.authenticate(sensorId, m[1]) : null;
    if (!sensor) {
      reply.header('www-authenticate', 'Bearer realm="kanshi-ingest"');
      this.refuse(reply, 401, 'unknown sensor or invalid ingest token');
    }
    return sensor;
  }

  private refuse(reply: FastifyReply, status: number, error: string): void {
    refused.inc({ status: String(status) });
    reply.status(status).send({ error });
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
