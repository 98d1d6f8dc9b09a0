import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DiscardPolicy, nanos } from 'nats';
import { LogsReceived } from '@kanshi/events';
import { metricsRegistry } from '@kanshi/observability';
import { eventually } from '@kanshi/testing';
import { bootIngestion, createCustomer, published, registerSensor, TestService } from '../../int-spec-helpers';
import { LogStreamAdapter } from './log-stream.adapter';

jest.setTimeout(60_000);

const TRAFFIC = readFileSync(path.resolve(__dirname, '../../parsers/__fixtures__/fortigate-more.log'), 'utf8').trim().split('\n')[0];

let svc: TestService;
beforeAll(async () => {
  svc = await bootIngestion({ LOG_BACKLOG_INTERVAL_MS: '200' });
});
afterAll(async () => {
  await svc?.close();
});

const backlog = async (sensorId: string): Promise<{ records: number; attempts: number; last_error: string }[]> =>
  svc.ds.query(`SELECT records, attempts, last_error FROM ingestion.log_backlog WHERE sensor_id = $1`, [sensorId]);

describe('logs.received on JetStream', () => {
  it('is a bounded stream: 2 GB and 24 hours at most, the oldest messages dropped first', async () => {
    const info = await svc.bus.jsm.streams.info(svc.bus.streamNameOf(LogsReceived.stream));
    expect(info.config).toMatchObject({ max_bytes: 2 * 1024 ** 3, max_age: nanos(24 * 3600 * 1000), discard: DiscardPolicy.Old, subjects: [`${svc.bus.namespace}.ingestion.log.>`] });
  });

  it('keeps the batches JetStream refuses and publishes them once it takes them again; the sender is answered meanwhile', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId);
    const stream = svc.bus.streamNameOf(LogsReceived.stream);
    await svc.bus.jsm.streams.delete(stream);
    try {
      const res = await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sensor.token}`, 'content-type': 'text/plain' },
        body: [TRAFFIC, TRAFFIC.replace('sessionid=885000', 'sessionid=885001')].join('\n'),
      });
      expect(res.status).toBe(200);
      const [kept] = await backlog(sensor.sensorId);
      expect(kept).toMatchObject({ records: 2, attempts: 4 });
      expect(kept.last_error).toEqual(expect.any(String));
      // still refused: it stays, counting its attempts
      await eventually(async () => expect((await backlog(sensor.sensorId))[0].attempts).toBeGreaterThan(4), { timeoutMs: 5_000 });
    } finally {
      await svc.bus.ensureStreams([LogsReceived.stream]);
    }
    await eventually(async () => expect(await backlog(sensor.sensorId)).toEqual([]), { timeoutMs: 10_000 });
    const [message] = await published(svc, LogsReceived, (e) => e.body.sensorId === sensor.sensorId);
    expect(message.customerId).toBe(customerId);
    expect(message.body.records).toHaveLength(2);
  });

  it('drops, and counts, backlog older than the stream would keep it', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId);
    const expiredTotal = async () => (await metricsRegistry.getMetricsAsJSON()).find((m) => m.name === 'kanshi_ingest_log_batches_expired_total')?.values[0]?.value ?? 0;
    const before = await expiredTotal();
    await svc.ds.query(
      `INSERT INTO ingestion.log_backlog (event_id, sensor_id, records, payload, created_at) VALUES ($1, $2, 3, '\\x7b7d'::bytea, now() - interval '25 hours')`,
      [randomUUID(), sensor.sensorId],
    );
    await svc.app.get(LogStreamAdapter).drainBacklog();
    expect(await backlog(sensor.sensorId)).toEqual([]);
    expect((await expiredTotal()) - before).toBe(1);
    expect(await published(svc, LogsReceived, (e) => e.body.sensorId === sensor.sensorId, { atLeast: 0, timeoutMs: 500 })).toEqual([]);
  });
});

