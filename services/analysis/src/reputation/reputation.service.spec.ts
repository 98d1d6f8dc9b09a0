import { JobQueue } from '@kanshi/jobs';
import { loadConfig } from '../config';
import { QuotaClaim, ReputationRepository } from './reputation.repository';
import { ReputationService, VirusTotalFetchJob } from './reputation.service';
import { FileReportOutcome, FileReputation, notFoundReputation, VirusTotalClient } from './virustotal.client';

const HASH = 'f'.repeat(64);
const reputation = (over: Partial<FileReputation> = {}): FileReputation => ({ ...notFoundReputation(HASH), found: true, malicious: 5, totalEngines: 70, detectionRatio: '5/70', ...over });

function setup(env: Record<string, string> = {}, answers: FileReportOutcome[] = [{ kind: 'found', reputation: reputation() }]) {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), VIRUSTOTAL_API_KEY: 'key', ...env });
  const repo = { cached: jest.fn().mockResolvedValue(null), store: jest.fn().mockResolvedValue(undefined), claimSlot: jest.fn<Promise<QuotaClaim>, unknown[]>().mockResolvedValue({ ok: true }) };
  const client = { fileReport: jest.fn(() => Promise.resolve(answers.length > 1 ? answers.shift()! : answers[0])) };
  const jobs = { work: jest.fn(), send: jest.fn().mockResolvedValue('job-1') };
  const sut = new ReputationService(repo as unknown as ReputationRepository, client as unknown as VirusTotalClient, jobs as unknown as JobQueue, config);
  sut.onModuleInit();
  const job = jobs.work.mock.calls[0][1] as (d: { hash: string }) => Promise<void>;
  return { sut, ctx: { repo, client, jobs, job } };
}

describe('ReputationService', () => {
  it('is off without a key: null, nothing asked, though the job handler is registered', async () => {
    const { sut, ctx } = setup({ VIRUSTOTAL_API_KEY: '' });
    expect(sut.enabled).toBe(false);
    expect(await sut.lookup(HASH)).toBeNull();
    expect(ctx.repo.cached).not.toHaveBeenCalled();
    expect(ctx.jobs.work).toHaveBeenCalledWith(VirusTotalFetchJob, expect.any(Function));
  });

  it('answers from the cache without a quota slot or a request', async () => {
    const { sut, ctx } = setup();
    ctx.repo.cached.mockResolvedValue({ answer: reputation({ detectionRatio: '9/70' }), expiresAt: new Date(Date.now() + 60_000) });
    expect(await sut.lookup(HASH.toUpperCase())).toMatchObject({ detectionRatio: '9/70' });
    expect(ctx.repo.cached).toHaveBeenCalledWith(HASH, expect.any(Date));
    expect(ctx.repo.claimSlot).not.toHaveBeenCalled();
    // then from memory, until the answer expires
    expect(await sut.lookup(HASH)).toMatchObject({ detectionRatio: '9/70' });
    expect(ctx.repo.cached).toHaveBeenCalledTimes(1);
  });

  it('asks PostgreSQL again once a remembered answer has expired', async () => {
    const { sut, ctx } = setup();
    ctx.repo.cached.mockResolvedValue({ answer: reputation(), expiresAt: new Date(Date.now() - 1) });
    await sut.lookup(HASH);
    await sut.lookup(HASH);
    expect(ctx.repo.cached).toHaveBeenCalledTimes(2);
  });

  it('stores a found file for VIRUSTOTAL_CACHE_TTL_HOURS and an unknown one for VIRUSTOTAL_NOT_FOUND_TTL_HOURS', async () => {
    const hours = (call: unknown[]) => ((call[2] as Date).getTime() - (call[1] as Date).getTime()) / 3_600_000;
    const found = setup({ VIRUSTOTAL_CACHE_TTL_HOURS: '12' });
    await found.sut.lookup(HASH);
    expect(hours(found.ctx.repo.store.mock.calls[0])).toBe(12);
    const missing = setup({ VIRUSTOTAL_NOT_FOUND_TTL_HOURS: '3' }, [{ kind: 'not-found', reputation: notFoundReputation(HASH) }]);
    expect(await missing.sut.lookup(HASH)).toMatchObject({ found: false });
    expect(hours(missing.ctx.repo.store.mock.calls[0])).toBe(3);
  });

  it('defers to the job queue when no slot opens within VIRUSTOTAL_MAX_WAIT_MS', async () => {
    const { sut, ctx } = setup({ VIRUSTOTAL_MAX_WAIT_MS: '100' });
    const nextAt = Date.now() + 30_000;
    ctx.repo.claimSlot.mockResolvedValue({ ok: false, nextAt });
    expect(await sut.lookup(HASH)).toBeNull();
    expect(ctx.client.fileReport).not.toHaveBeenCalled();
    expect(ctx.jobs.send).toHaveBeenCalledWith(VirusTotalFetchJob, { hash: HASH }, { singletonKey: HASH, startAfter: new Date(nextAt) });
  });

  it('after a 429 waits out Retry-After (no slot asked for meanwhile), and without one the rest of the window', async () => {
    const { sut, ctx } = setup({}, [{ kind: 'quota-exceeded', code: 'QuotaExceededError', message: 'q', retryAfterMs: 20_000 }]);
    const before = Date.now();
    expect(await sut.lookup(HASH)).toBeNull();
    const startAfter = (ctx.jobs.send.mock.calls[0][2] as { startAfter: Date }).startAfter.getTime();
    expect(startAfter - before).toBeGreaterThanOrEqual(20_000);
    expect(startAfter - before).toBeLessThan(21_000);
    expect(await sut.lookup('e'.repeat(64))).toBeNull();
    expect(ctx.repo.claimSlot).toHaveBeenCalledTimes(1);

    const other = setup({ VIRUSTOTAL_QUOTA_WINDOW_MS: '60000' }, [{ kind: 'quota-exceeded', code: 'QuotaExceededError', message: 'q', retryAfterMs: undefined }]);
    await other.sut.lookup(HASH);
    const at = (other.ctx.jobs.send.mock.calls[0][2] as { startAfter: Date }).startAfter.getTime();
    expect(at % 60_000).toBe(0);
  });

  it('turns itself off after a 401, asking nothing more', async () => {
    const { sut, ctx } = setup({}, [{ kind: 'unauthorized', code: 'WrongCredentialsError', message: 'Wrong API key' }]);
    expect(await sut.lookup(HASH)).toBeNull();
    expect(sut.enabled).toBe(false);
    expect(await sut.lookup('e'.repeat(64))).toBeNull();
    expect(ctx.client.fileReport).toHaveBeenCalledTimes(1);
    expect(ctx.jobs.send).not.toHaveBeenCalled();
  });

  it('still answers null when the job cannot be queued', async () => {
    const { sut, ctx } = setup({}, [{ kind: 'transient', status: 503, code: 'TransientError', message: 'x' }]);
    ctx.jobs.send.mockRejectedValue(new Error('the job queue analysis_jobs is not running'));
    expect(await sut.lookup(HASH)).toBeNull();
  });

  describe('the background job', () => {
    it('throws on a transient failure so the queue retries with back-off', async () => {
      const { ctx } = setup({}, [{ kind: 'transient', status: undefined, code: 'Timeout', message: 'no answer within 10000 ms' }]);
      await expect(ctx.job({ hash: HASH })).rejects.toThrow(`VirusTotal file report for ${HASH} failed: Timeout`);
    });

    it('queues itself again for when a slot opens, or after a 429, instead of failing', async () => {
      const { ctx } = setup({}, [{ kind: 'quota-exceeded', code: 'QuotaExceededError', message: 'q', retryAfterMs: 5000 }]);
      ctx.repo.claimSlot.mockResolvedValueOnce({ ok: false, nextAt: Date.now() + 9000 });
      await ctx.job({ hash: HASH });
      expect(ctx.client.fileReport).not.toHaveBeenCalled();
      await ctx.job({ hash: HASH });
      expect(ctx.client.fileReport).toHaveBeenCalledTimes(1);
      expect(ctx.jobs.send).toHaveBeenCalledTimes(2);
      expect(ctx.jobs.send.mock.calls.map((c) => (c[2] as { singletonKey: string }).singletonKey)).toEqual([HASH, HASH]);
    });

    it('does nothing for a hash already cached', async () => {
      const { ctx } = setup();
      ctx.repo.cached.mockResolvedValue({ answer: reputation(), expiresAt: new Date(Date.now() + 60_000) });
      await ctx.job({ hash: HASH });
      expect(ctx.client.fileReport).not.toHaveBeenCalled();
    });
  });
});

describe('configuration', () => {
  it('names a daily quota below the per-minute one', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), VIRUSTOTAL_REQUESTS_PER_MINUTE: '10', VIRUSTOTAL_REQUESTS_PER_DAY: '5' })).toThrow(
      'VIRUSTOTAL_REQUESTS_PER_DAY (5) must be 0 or at least VIRUSTOTAL_REQUESTS_PER_MINUTE (10)',
    );
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), VIRUSTOTAL_URL: 'ftp://vt' })).toThrow('VIRUSTOTAL_URL must use https: or http:');
  });
});
