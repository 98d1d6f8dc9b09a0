import { Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { counter } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../../config';
import { LivenessService } from '../../liveness/liveness.service';
import { normalizeRemoteAddress } from '../sensor-ref';
import { IntakeSensor, SensorDirectory } from '../../sensors/sensor-directory.service';
import { decompress } from './http-body';
import { IngestService } from '../pipeline/ingest.service';
import { RateLimiter } from './rate-limiter';

const refused = counter('kanshi_ingest_http_refused_total', 'HTTPS intake requests refused before storage', ['status']);

// HTTPS intake: each request is authenticated to one sensor by its ingest token. The answer says
// what happened to every record (accepted, or quarantined with the parser's reason), and comes
// only after the accepted ones are stored.
@Controller('ingest/v1/sensors')
export class IngestController {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly sensors: SensorDirectory,
    private readonly ingest: IngestService,
    private readonly liveness: LivenessService,
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
    const admitted = this.limiter.admit(sensor.sensorId);
    if (!admitted.ok) {
      reply.header('retry-after', String(admitted.retryAfterSeconds));
      return this.refuse(reply, 429, `rate limit of ${this.config.INGEST_RATE_PER_SENSOR} records/s for this sensor exceeded; retry after ${admitted.retryAfterSeconds} s`);
    }
    // Split into records (JSON object, array, NDJSON or lines), parsed and stored.
    const { error, results } = await this.ingest.ingestBody(sensor, body.body, header(req, 'content-type'), receivedAt, { transport: 'https', remoteAddress: normalizeRemoteAddress(req.ip) });
    if (error) return this.refuse(reply, 400, error);
    this.limiter.consume(sensor.sensorId, results.length);
    const accepted = results.filter((r) => r.status === 'accepted').length;
    // Nothing usable: a 4xx, so the sender does not retry what is already in quarantine.
    reply.status(accepted > 0 || results.length === 0 ? 200 : 422).send({ accepted, quarantined: results.length - accepted, results });
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
