import type { IngestionConfig } from '../../config';
import type { ParseJob } from './parse-batch';
import { ParserPool } from './parser-pool.service';

jest.setTimeout(60_000);

const LOGS = { subject: 'ingestion.log.received.v1', sensorId: '6f1c2a4e-0000-4000-8000-000000000001', customerId: '6f1c2a4e-0000-4000-8000-000000000002', maxPayloadBytes: 1024 * 1024 };

// `records` JSON log lines, each naming its batch
function job(batch: number, records: number): ParseJob {
  const lines = Array.from({ length: records }, (_, i) => ({ text: JSON.stringify({ message: `batch ${batch} line ${i}`, severity: 'info' }), receivedAt: Date.now() }));
  return { product: 'GENERIC_JSON', timeZone: 'Asia/Tokyo', input: { kind: 'records', records: lines }, logs: LOGS, store: { transport: 'https', retentionMonths: 3 } };
}

const rowsOf = (copy: Uint8Array) => Buffer.from(copy).toString('utf8').split('\n').filter(Boolean);

describe('ParserPool', () => {
  let pool: ParserPool;
  const start = (workers: number) => {
    pool = new ParserPool({ INGEST_PARSE_WORKERS: workers } as IngestionConfig);
    pool.onModuleInit();
    return pool;
  };
  afterEach(() => pool?.onApplicationShutdown());

  it('answers each of many concurrent batches with its own records, over two workers', async () => {
    start(2);
    const sizes = [300, 1, 50, 2000, 7, 120];
    const outs = await Promise.all(sizes.map((n, b) => pool.parse(job(b, n))));
    outs.forEach((out, b) => {
      expect(out.results).toHaveLength(sizes[b]);
      const rows = rowsOf(out.raw.copy);
      expect(rows).toHaveLength(sizes[b]);
      expect(rows.every((r) => r.includes(`batch ${b} line`))).toBe(true);
    });
  });

  it('fails the batches of a worker that died, and parses the next ones on the worker that replaces it', async () => {
    start(1);
    await pool.parse(job(0, 1)); // the worker is up
    const inFlight = pool.parse(job(1, 50_000));
    const [{ worker }] = (pool as unknown as { workers: { worker: { terminate(): Promise<number> } }[] }).workers;
    await worker.terminate();
    await expect(inFlight).rejects.toThrow(/parse worker exited/);
    const next = await pool.parse(job(2, 3));
    expect(rowsOf(next.raw.copy)).toHaveLength(3);
  });

  it('parses on the main thread when INGEST_PARSE_WORKERS is 0', async () => {
    start(0);
    const out = await pool.parse(job(3, 2));
    expect(out.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });
});
