import { createHash } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { counter, createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { AnalysisConfig } from '../config';
import { QuotaClaim, QuotaLimits, ReputationRepository } from './reputation.repository';
import { FILE_HASH, FileReportOutcome, FileReputation, VirusTotalClient } from './virustotal.client';

const TRANSIENT_RETRY_SECONDS = 30;
// Answers kept in memory too (until they expire), so a busy analysis does not ask PostgreSQL
// for every alert's hash; the oldest go first past this many.
const MEMORY_ENTRIES = 10_000;
const HOUR_MS = 3_600_000;

// A hash whose answer a lookup could not wait for: fetched once the quota allows. At most one
// waiting job per hash; a 5xx or a timeout throws and is retried with back-off.
export const VirusTotalFetchJob = defineJob<{ hash: string }>('virustotal-file-report', {
  retryLimit: 5,
  retryDelaySeconds: TRANSIENT_RETRY_SECONDS,
  retryBackoff: true,
  expireInSeconds: 300,
  policy: 'short',
});

const requests = counter('kanshi_virustotal_requests_total', 'VirusTotal file-report requests by outcome (found, not-found, quota-exceeded, unauthorized, transient, rejected)', ['outcome']);
const lookups = counter('kanshi_reputation_lookups_total', 'Sample reputation lookups by how they were answered (cache, fetched, deferred, off, invalid)', ['answer']);

type Fetched = { kind: 'answer'; reputation: FileReputation } | { kind: 'later'; cause: 'quota' | 'transient'; at: number; reason: string } | { kind: 'never' };

// Sample reputation (the seed's "scan with dozens of antivirus engines"): VirusTotal's file
// report per hash, cached in PostgreSQL, within the key's quota. A lookup answers from the cache,
// or asks VirusTotal if a quota slot is free or frees up within VIRUSTOTAL_MAX_WAIT_MS; otherwise
// it answers null at once and a background job fetches the hash for a later look.
@Injectable()
export class ReputationService implements OnModuleInit, OnApplicationBootstrap {
  private readonly log = createLogger('ReputationService');
  private readonly inFlight = new Map<string, Promise<FileReputation | null>>();
  private readonly memory = new Map<string, { answer: FileReputation; expiresAt: number }>();
  private readonly keyId: string;
  private readonly limits: QuotaLimits;
  private disabled: string | undefined;
  private pausedUntil = 0;
  private waiting = 0;

  constructor(
    private readonly repo: ReputationRepository,
    private readonly client: VirusTotalClient,
    private readonly jobs: JobQueue,
    @Inject(PLATFORM_CONFIG) private readonly config: AnalysisConfig,
  ) {
    // The quota belongs to the key; it is counted under a digest, never the key.
    this.keyId = createHash('sha256')
      .update(config.VIRUSTOTAL_API_KEY ?? '')
      .digest('hex')
      .slice(0, 16);
    this.limits = { perWindow: config.VIRUSTOTAL_REQUESTS_PER_MINUTE, windowMs: config.VIRUSTOTAL_QUOTA_WINDOW_MS, perDay: config.VIRUSTOTAL_REQUESTS_PER_DAY };
    if (!config.VIRUSTOTAL_API_KEY) this.disabled = 'VIRUSTOTAL_API_KEY is not set';
  }

  onModuleInit(): void {
    // Registered even when off, so that jobs queued by an earlier deployment with a key complete.
    this.jobs.work(VirusTotalFetchJob, ({ hash }) => this.fetchInBackground(hash));
  }

  onApplicationBootstrap(): void {
    // once at boot; not in a schema-only boot, whose stdout is the schema
    if (this.disabled && this.repo.connected) this.log.info({}, `${this.disabled}: sample reputation lookups (VirusTotal) are off`);
  }

  // False without a key, and after VirusTotal refused the key (until a restart with a new one).
  get enabled(): boolean {
    return this.disabled === undefined;
  }

  // The file's reputation by MD5, SHA-1 or SHA-256 (any case); `found: false` when VirusTotal
  // does not know the file. null when lookups are off, the hash is not one, or the answer is not
  // available yet (quota, VirusTotal unreachable): a later lookup finds it in the cache.
  // Concurrent lookups of one hash share one request.
  lookup(hash: string): Promise<FileReputation | null> {
    if (!this.enabled) {
      lookups.inc({ answer: 'off' });
      return Promise.resolve(null);
    }
    const h = hash.trim().toLowerCase();
    if (!FILE_HASH.test(h)) {
      lookups.inc({ answer: 'invalid' });
      return Promise.resolve(null);
    }
    const remembered = this.memory.get(h);
    if (remembered && remembered.expiresAt > Date.now()) {
      lookups.inc({ answer: 'cache' });
      return Promise.resolve(remembered.answer);
    }
    let shared = this.inFlight.get(h);
    if (!shared) {
      shared = this.resolve(h).finally(() => this.inFlight.delete(h));
      this.inFlight.set(h, shared);
    }
    return shared;
  }

  private async resolve(hash: string): Promise<FileReputation | null> {
    const cached = await this.repo.cached(hash, new Date());
    if (cached) {
      lookups.inc({ answer: 'cache' });
      this.remember(cached.answer, cached.expiresAt.getTime());
      return cached.answer;
    }
    const slot = await this.waitForSlot(Date.now() + this.config.VIRUSTOTAL_MAX_WAIT_MS);
    const fetched: Fetched = slot.ok ? await this.fetch(hash) : { kind: 'later', cause: 'quota', at: slot.nextAt, reason: 'quota' };
    if (fetched.kind === 'answer') {
      lookups.inc({ answer: 'fetched' });
      return fetched.reputation;
    }
    lookups.inc({ answer: 'deferred' });
    if (fetched.kind === 'later') await this.defer(hash, fetched.at, fetched.reason);
    return null;
  }

  // A quota slot now, or within the deadline (waiting beside at most VIRUSTOTAL_QUEUE_SIZE
  // other lookups); otherwise when the next one opens.
  private async waitForSlot(deadline: number): Promise<QuotaClaim> {
    let claim = await this.claim();
    if (claim.ok || claim.nextAt > deadline) return claim;
    if (this.waiting >= this.config.VIRUSTOTAL_QUEUE_SIZE) return claim;
    this.waiting++;
    try {
      while (!claim.ok && claim.nextAt <= deadline && this.enabled) {
        await new Promise((r) => setTimeout(r, Math.max(0, claim.ok ? 0 : claim.nextAt - Date.now())));
        claim = await this.claim();
      }
      return claim;
    } finally {
      this.waiting--;
    }
  }

  private claim(): Promise<QuotaClaim> {
    const now = Date.now();
    // after a 429, nobody here asks again before the Retry-After
    if (this.pausedUntil > now) return Promise.resolve({ ok: false, nextAt: this.pausedUntil });
    return this.repo.claimSlot(this.keyId, this.limits, now);
  }

  // One request, within a slot already taken; answers are cached.
  private async fetch(hash: string): Promise<Fetched> {
    const out: FileReportOutcome = await this.client.fileReport(hash);
    requests.inc({ outcome: out.kind });
    const now = Date.now();
    switch (out.kind) {
      case 'found':
      case 'not-found': {
        const ttlHours = out.kind === 'found' ? this.config.VIRUSTOTAL_CACHE_TTL_HOURS : this.config.VIRUSTOTAL_NOT_FOUND_TTL_HOURS;
        await this.repo.store(out.reputation, new Date(now), new Date(now + ttlHours * HOUR_MS));
        this.remember(out.reputation, now + ttlHours * HOUR_MS);
        return { kind: 'answer', reputation: out.reputation };
      }
      case 'quota-exceeded': {
        // Retry-After when VirusTotal sends one, else the rest of the quota window
        const windowMs = this.limits.windowMs;
        this.pausedUntil = Math.max(this.pausedUntil, now + (out.retryAfterMs ?? windowMs - (now % windowMs)));
        this.log.warn({ code: out.code, retryAt: new Date(this.pausedUntil).toISOString() }, 'VirusTotal quota exceeded; pausing requests');
        return { kind: 'later', cause: 'quota', at: this.pausedUntil, reason: out.code };
      }
      case 'unauthorized':
        if (this.enabled) {
          this.disabled = `VirusTotal refused the API key (${out.code}: ${out.message})`;
          this.log.error({ code: out.code, message: out.message }, 'VirusTotal refused the API key (401); sample reputation lookups are off until VIRUSTOTAL_API_KEY changes');
        }
        return { kind: 'never' };
      case 'transient':
        this.log.warn({ status: out.status, code: out.code, message: out.message, hash }, 'VirusTotal did not answer; will retry');
        return { kind: 'later', cause: 'transient', at: now + TRANSIENT_RETRY_SECONDS * 1000, reason: out.code };
      case 'rejected':
        this.log.warn({ status: out.status, code: out.code, message: out.message, hash }, 'VirusTotal rejected the file report request');
        return { kind: 'never' };
    }
  }

  private remember(answer: FileReputation, expiresAt: number): void {
    this.memory.delete(answer.hash);
    this.memory.set(answer.hash, { answer, expiresAt });
    if (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
  }

  // Queues the hash for a background fetch at `at`; at most one waiting job per hash.
  private async defer(hash: string, at: number, reason: string): Promise<void> {
    try {
      await this.jobs.send(VirusTotalFetchJob, { hash }, { singletonKey: hash, startAfter: new Date(Math.max(at, Date.now())) });
    } catch (err) {
      // Recovered: the lookup answers null either way, and the next lookup of the hash asks again.
      this.log.warn({ err, hash, reason }, 'could not queue a VirusTotal fetch');
    }
  }

  // The job: fetch when the quota allows (re-queued for when a slot opens), throw on a
  // transient failure so the queue retries with back-off.
  async fetchInBackground(hash: string): Promise<void> {
    if (!this.enabled || (await this.repo.cached(hash, new Date()))) return;
    const claim = await this.claim();
    if (!claim.ok) {
      // this job is running, so the policy lets one more wait for the same hash
      await this.jobs.send(VirusTotalFetchJob, { hash }, { singletonKey: hash, startAfter: new Date(claim.nextAt) });
      return;
    }
    const fetched = await this.fetch(hash);
    if (fetched.kind !== 'later') return;
    if (fetched.cause === 'quota') {
      await this.jobs.send(VirusTotalFetchJob, { hash }, { singletonKey: hash, startAfter: new Date(fetched.at) });
      return;
    }
    throw new Error(`VirusTotal file report for ${hash} failed: ${fetched.reason}`);
  }
}
