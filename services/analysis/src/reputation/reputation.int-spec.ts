// Sample reputation against the real PostgreSQL and a fake VirusTotal over real HTTP: the file
// report's ratio and engines, the cache, the key's quota with its queue and background fetches,
// 429 with Retry-After, a refused key.
import { randomBytes } from 'node:crypto';
import { JobQueue } from '@kanshi/jobs';
import { eventually, FAKE_VIRUSTOTAL_API_KEY, FakeVirusTotalServer, startSubgraph, SubgraphKit, testPlatformEnv } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { ReputationRepository } from './reputation.repository';
import { ReputationService } from './reputation.service';
import { VirusTotalClient } from './virustotal.client';

jest.setTimeout(60_000);

// One key per service under test: each has a quota of its own, at VirusTotal and here.
const KEYS = Array.from({ length: 6 }, (_, i) => `kanshi-test-key-${i}-${randomBytes(8).toString('hex')}`);
const vt = new FakeVirusTotalServer({ apiKeys: [FAKE_VIRUSTOTAL_API_KEY, ...KEYS] });
let kit: SubgraphKit;
const extra: { service: ReputationService; jobs: JobQueue }[] = [];

beforeAll(async () => {
  await vt.start();
  kit = await startSubgraph({
    service: 'analysis',
    schema: 'analysis',
    loadConfig: (env) => loadConfig({ ...env, VIRUSTOTAL_API_KEY: FAKE_VIRUSTOTAL_API_KEY, VIRUSTOTAL_URL: vt.url, VIRUSTOTAL_REQUESTS_PER_MINUTE: '100' }),
    module: (config, opts) => AppModule.forRoot(config, opts),
  });
});
afterEach(async () => {
  for (const { jobs } of extra.splice(0)) {
    await jobs.stop();
    await kit.ds.query(`DROP SCHEMA IF EXISTS "${jobs.schema}" CASCADE`);
  }
});
afterAll(async () => {
  await kit?.close();
  await vt.stop();
});

// A service of its own configuration (and job queue schema) on the spec's database.
async function service(env: Record<string, string>): Promise<ReputationService> {
  const config = loadConfig(testPlatformEnv({ VIRUSTOTAL_URL: vt.url, ...env }));
  const jobs = new JobQueue(kit.ds, { schema: `reptest_${randomBytes(4).toString('hex')}`, pollIntervalMs: 500, metricsIntervalMs: 3_600_000, stopTimeoutMs: 2000 });
  const client = new VirusTotalClient({ baseUrl: config.VIRUSTOTAL_URL, apiKey: config.VIRUSTOTAL_API_KEY ?? '', timeoutMs: config.VIRUSTOTAL_TIMEOUT_MS });
  const s = new ReputationService(new ReputationRepository(kit.ds), client, jobs, config);
  s.onModuleInit();
  await jobs.start();
  extra.push({ service: s, jobs });
  return s;
}

const cacheRow = async (hash: string): Promise<{ found: boolean; ttl_hours: number } | undefined> =>
  (await kit.ds.query(`SELECT (answer->>'found')::boolean AS found, (extract(epoch FROM expires_at - fetched_at) / 3600)::float8 AS ttl_hours FROM analysis.reputation_cache WHERE hash = $1`, [hash]))[0];

describe('ReputationService wired in the analysis app', () => {
  let sut: ReputationService;
  beforeAll(() => {
    sut = kit.app.get(ReputationService);
  });

  it('gives a known file its detection ratio and the engines that flagged it, asking with the key in x-apikey', async () => {
    const file = vt.addDetectedFile({ detections: 45, engines: 70, meaningfulName: 'invoice.pdf.exe' });
    const r = await sut.lookup(file.sha256.toUpperCase());
    expect(r).toMatchObject({ hash: file.sha256, found: true, malicious: 45, undetected: 25, totalEngines: 70, detectionRatio: '45/70', meaningfulName: 'invoice.pdf.exe', typeDescription: 'Win32 EXE' });
    expect(r!.detectedBy).toHaveLength(45);
    expect(r!.detectedBy).toContainEqual({ engine: 'Kaspersky', category: 'malicious', result: 'Trojan.Kanshi.Test' });
    expect(r!.detectedBy.map((d) => d.engine)).not.toContain('Zoner');
    const [req] = vt.fileRequests(file.sha256);
    expect(req.headers['x-apikey']).toBe(FAKE_VIRUSTOTAL_API_KEY);
  });

  it('answers the second lookup from the cache, without asking VirusTotal again', async () => {
    const file = vt.addDetectedFile({ detections: 3 });
    const first = await sut.lookup(file.md5!);
    expect(await sut.lookup(file.md5!)).toEqual(first);
    expect(vt.fileRequests(file.md5)).toHaveLength(1);
    expect(await cacheRow(file.md5!)).toEqual({ found: true, ttl_hours: 24 });
    // another replica reads the same cache
    const replica = await service({ VIRUSTOTAL_API_KEY: KEYS[4] });
    expect(await replica.lookup(file.md5!)).toEqual(first);
    expect(vt.fileRequests(file.md5)).toHaveLength(1);
  });

  it('caches an unknown hash as found: false for 6 hours', async () => {
    const hash = randomBytes(32).toString('hex');
    expect(await sut.lookup(hash)).toMatchObject({ hash, found: false, detectionRatio: '0/0', detectedBy: [] });
    expect(await sut.lookup(hash)).toMatchObject({ found: false });
    expect(vt.fileRequests(hash)).toHaveLength(1);
    expect(vt.fileRequests(hash)[0].status).toBe(404);
    expect(await cacheRow(hash)).toEqual({ found: false, ttl_hours: 6 });
  });

  it('makes one request for concurrent lookups of one hash', async () => {
    const file = vt.addDetectedFile({ detections: 10 });
    vt.failNext(1, { kind: 'delay', ms: 300 }, { where: (r) => r.params.id === file.sha256 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => sut.lookup(file.sha256)));
    expect(answers.map((a) => a?.detectionRatio)).toEqual(Array(5).fill('10/70'));
    expect(vt.fileRequests(file.sha256)).toHaveLength(1);
  });

  it('answers null, asking nobody, for something that is not an MD5, SHA-1 or SHA-256', async () => {
    const before = vt.requests.length;
    expect(await sut.lookup('not-a-hash')).toBeNull();
    expect(vt.requests.length).toBe(before);
  });
});

describe('the key quota', () => {
  it('keeps the 5th distinct hash of a 4-per-window key off VirusTotal, answers null at once, and fetches it in the background once the window allows', async () => {
    const sut = await service({ VIRUSTOTAL_API_KEY: KEYS[0], VIRUSTOTAL_REQUESTS_PER_MINUTE: '4', VIRUSTOTAL_QUOTA_WINDOW_MS: '3000', VIRUSTOTAL_MAX_WAIT_MS: '200' });
    const files = [1, 2, 3, 4, 5].map((n) => vt.addDetectedFile({ detections: n }));
    for (const f of files.slice(0, 4)) expect(await sut.lookup(f.sha256)).toMatchObject({ malicious: files.indexOf(f) + 1 });
    const fifth = files[4].sha256;
    const started = Date.now();
    expect(await sut.lookup(fifth)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(vt.fileRequests(fifth)).toHaveLength(0);
    // the job asks once a slot of the window is free again
    await eventually(async () => expect(await cacheRow(fifth)).toEqual({ found: true, ttl_hours: 24 }), { timeoutMs: 20_000 });
    const [late] = vt.fileRequests(fifth);
    const [first] = vt.fileRequests(files[0].sha256);
    expect(late.receivedAt.getTime() - first.receivedAt.getTime()).toBeGreaterThanOrEqual(2900);
    expect(await sut.lookup(fifth)).toMatchObject({ detectionRatio: '5/70' });
    expect(vt.fileRequests(fifth)).toHaveLength(1);
    expect(vt.requests.filter((r) => r.headers['x-apikey'] === KEYS[0]).length).toBe(5);
  });

  it('lets lookups beyond the quota wait in a bounded queue: those that fit are answered when a slot frees, the rest answer null', async () => {
    const sut = await service({ VIRUSTOTAL_API_KEY: KEYS[1], VIRUSTOTAL_REQUESTS_PER_MINUTE: '2', VIRUSTOTAL_QUOTA_WINDOW_MS: '1500', VIRUSTOTAL_MAX_WAIT_MS: '5000', VIRUSTOTAL_QUEUE_SIZE: '1' });
    const files = [1, 2, 3, 4].map((n) => vt.addDetectedFile({ detections: n }));
    const started = Date.now();
    const answers = await Promise.all(files.map((f) => sut.lookup(f.sha256)));
    expect(answers.filter((a) => a === null)).toHaveLength(1);
    expect(answers.filter((a) => a?.found)).toHaveLength(3);
    const times = vt.requests.filter((r) => r.headers['x-apikey'] === KEYS[1]).map((r) => r.receivedAt.getTime() - started);
    expect(times).toHaveLength(3);
    // the third waited for the window
    expect(Math.max(...times)).toBeGreaterThanOrEqual(1400);
  });

  it('shares the quota between two replicas using the same key', async () => {
    const env = { VIRUSTOTAL_API_KEY: KEYS[2], VIRUSTOTAL_REQUESTS_PER_MINUTE: '2', VIRUSTOTAL_QUOTA_WINDOW_MS: '10000', VIRUSTOTAL_MAX_WAIT_MS: '0' };
    const [a, b] = [await service(env), await service(env)];
    const files = [1, 2, 3].map((n) => vt.addDetectedFile({ detections: n }));
    expect(await a.lookup(files[0].sha256)).not.toBeNull();
    expect(await b.lookup(files[1].sha256)).not.toBeNull();
    expect(await b.lookup(files[2].sha256)).toBeNull();
    expect(vt.requests.filter((r) => r.headers['x-apikey'] === KEYS[2])).toHaveLength(2);
  });
});

describe('VirusTotal refusing', () => {
  it('retries a 429 QuotaExceededError after its Retry-After, through the job queue, and succeeds', async () => {
    const sut = await service({ VIRUSTOTAL_API_KEY: KEYS[3] });
    const file = vt.addDetectedFile({ detections: 7 });
    vt.failNextWithQuotaExceeded(1, 1);
    expect(await sut.lookup(file.sha256)).toBeNull();
    await eventually(async () => expect(await cacheRow(file.sha256)).toMatchObject({ found: true }), { timeoutMs: 15_000 });
    const [refused, retried] = vt.fileRequests(file.sha256);
    expect([refused.status, retried.status]).toEqual([429, 200]);
    expect(retried.receivedAt.getTime() - refused.receivedAt.getTime()).toBeGreaterThanOrEqual(1000);
    expect(await sut.lookup(file.sha256)).toMatchObject({ detectionRatio: '7/70' });
  });

  it('turns lookups off after a 401 WrongCredentialsError: one request, then none', async () => {
    const sut = await service({ VIRUSTOTAL_API_KEY: 'a-key-virustotal-does-not-know' });
    const file = vt.addDetectedFile({ detections: 1 });
    expect(await sut.lookup(file.sha256)).toBeNull();
    expect(vt.fileRequests(file.sha256).map((r) => r.status)).toEqual([401]);
    expect(sut.enabled).toBe(false);
    expect(await sut.lookup(file.sha256)).toBeNull();
    expect(await sut.lookup(vt.addDetectedFile({ detections: 2 }).sha256)).toBeNull();
    expect(vt.requests.filter((r) => r.headers['x-apikey'] === 'a-key-virustotal-does-not-know')).toHaveLength(1);
    expect(await cacheRow(file.sha256)).toBeUndefined();
  });

  it('is off without VIRUSTOTAL_API_KEY: lookups answer null and nothing is asked', async () => {
    const sut = await service({});
    const before = vt.requests.length;
    expect(sut.enabled).toBe(false);
    expect(await sut.lookup(vt.addDetectedFile({ detections: 1 }).sha256)).toBeNull();
    expect(vt.requests.length).toBe(before);
  });
});
