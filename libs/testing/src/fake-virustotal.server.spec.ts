// The fake VirusTotal over real HTTP (Node's fetch): the documented file object and errors.
import { FAKE_VIRUSTOTAL_API_KEY, FakeVirusTotalServer, startFakeVirusTotal } from './fake-virustotal.server';

// Response bodies are asserted on field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function setup(opts: ConstructorParameters<typeof FakeVirusTotalServer>[0] = {}) {
  const sut = new FakeVirusTotalServer(opts);
  const get = async (id: string, key: string | null = FAKE_VIRUSTOTAL_API_KEY): Promise<{ status: number; headers: Headers; body: Json }> => {
    const res = await fetch(`${sut.url}/api/v3/files/${id}`, { headers: key === null ? {} : { 'x-apikey': key } });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
  return { sut, get };
}

describe('FakeVirusTotalServer', () => {
  let ctx: ReturnType<typeof setup>;
  afterEach(() => ctx?.sut.stop());

  it('serves a file report by SHA-256, SHA-1 or MD5 with the stats, one result per engine, name, type and date', async () => {
    ctx = setup();
    await ctx.sut.start();
    const file = ctx.sut.addDetectedFile({ content: 'X5O!P%@AP', detections: 3, suspicious: 1, engines: 10, meaningfulName: 'eicar.com', lastAnalysisDate: new Date('2026-11-30T00:00:00Z') });
    for (const id of [file.sha256, file.sha1!, file.md5!.toUpperCase()]) {
      const { status, body } = await ctx.get(id);
      expect(status).toBe(200);
      expect(body.data).toMatchObject({ type: 'file', id: file.sha256 });
      expect(body.data.attributes).toMatchObject({
        md5: file.md5,
        meaningful_name: 'eicar.com',
        type_description: 'Win32 EXE',
        last_analysis_date: Date.parse('2026-11-30T00:00:00Z') / 1000,
        last_analysis_stats: { malicious: 3, suspicious: 1, undetected: 6, harmless: 0, timeout: 0, 'type-unsupported': 0, failure: 0 },
      });
      expect(Object.keys(body.data.attributes.last_analysis_results)).toHaveLength(10);
      expect(body.data.attributes.last_analysis_results.Acronis).toMatchObject({ category: 'malicious', engine_name: 'Acronis', result: 'Trojan.Kanshi.Test' });
    }
    expect(ctx.sut.fileRequests(file.sha256)).toHaveLength(1);
  });

  it('answers 404 NotFoundError for a hash it was not given, and 400 for something that is not a hash', async () => {
    ctx = setup();
    await ctx.sut.start();
    expect(await ctx.get('b'.repeat(64))).toMatchObject({ status: 404, body: { error: { code: 'NotFoundError' } } });
    expect(await ctx.get('nope')).toMatchObject({ status: 400, body: { error: { code: 'InvalidArgumentError' } } });
  });

  it('answers 401: AuthenticationRequiredError without x-apikey, WrongCredentialsError with a wrong one', async () => {
    ctx = setup();
    await ctx.sut.start();
    expect(await ctx.get('b'.repeat(64), null)).toMatchObject({ status: 401, body: { error: { code: 'AuthenticationRequiredError' } } });
    expect(await ctx.get('b'.repeat(64), 'wrong')).toMatchObject({ status: 401, body: { error: { code: 'WrongCredentialsError' } } });
  });

  it('answers 429 QuotaExceededError beyond the per-minute quota of a key, and again once the window has passed', async () => {
    // a window long enough that a loaded machine answers the three requests inside it
    ctx = setup({ apiKeys: ['k1', 'k2'], requestsPerMinute: 2, quotaWindowMs: 3000, quotaRetryAfterSeconds: 1 });
    await ctx.sut.start();
    const id = 'c'.repeat(64);
    expect([(await ctx.get(id, 'k1')).status, (await ctx.get(id, 'k1')).status]).toEqual([404, 404]);
    const refused = await ctx.get(id, 'k1');
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'QuotaExceededError' } } });
    expect(refused.headers.get('retry-after')).toBe('1');
    // another key has a quota of its own
    expect((await ctx.get(id, 'k2')).status).toBe(404);
    await new Promise((r) => setTimeout(r, 3100));
    expect((await ctx.get(id, 'k1')).status).toBe(404);
  });

  it('injects a 429 with Retry-After on demand', async () => {
    ctx = setup();
    await ctx.sut.start();
    ctx.sut.failNextWithQuotaExceeded(1, 5);
    const r = await ctx.get('d'.repeat(64));
    expect(r).toMatchObject({ status: 429, body: { error: { code: 'QuotaExceededError' } } });
    expect(r.headers.get('retry-after')).toBe('5');
    expect((await ctx.get('d'.repeat(64))).status).toBe(404);
  });

  it('starts for the demo with files given as detections', async () => {
    const demo = await startFakeVirusTotal({ files: [{ detections: 52, content: 'demo' }] });
    ctx = { sut: demo.server, get: setup().get };
    const res = await fetch(`${demo.url}/api/v3/files/${demo.files[0].sha256}`, { headers: { 'x-apikey': demo.apiKey } });
    expect(((await res.json()) as Json).data.attributes.last_analysis_stats.malicious).toBe(52);
  });
});
