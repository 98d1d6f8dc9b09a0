import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FileReputation } from './virustotal.client';

export interface QuotaLimits {
  perWindow: number;
  windowMs: number;
  // 0: no daily limit. VirusTotal's daily quotas reset at 00:00 UTC.
  perDay: number;
}

// Either a slot was taken, or the moment the next one opens.
export type QuotaClaim = { ok: true } | { ok: false; nextAt: number };

const DAY_MS = 86_400_000;

@Injectable()
export class ReputationRepository {
  constructor(private readonly ds: DataSource) {}

  // False in a schema-only boot (supergraph composition).
  get connected(): boolean {
    return this.ds.isInitialized;
  }

  async cached(hash: string, now: Date): Promise<{ answer: FileReputation; expiresAt: Date } | null> {
    const rows: { answer: FileReputation; expires_at: Date }[] = await this.ds.query(`SELECT answer, expires_at FROM analysis.reputation_cache WHERE hash = $1 AND expires_at > $2`, [hash, now]);
    return rows[0] ? { answer: rows[0].answer, expiresAt: rows[0].expires_at } : null;
  }

  async store(answer: FileReputation, fetchedAt: Date, expiresAt: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO analysis.reputation_cache (hash, answer, fetched_at, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (hash) DO UPDATE SET answer = EXCLUDED.answer, fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at`,
      [answer.hash, JSON.stringify(answer), fetchedAt, expiresAt],
    );
  }

  // Takes one request slot of the key's quota, or says when the next one opens: a sliding
  // window (VIRUSTOTAL_QUOTA_WINDOW_MS) and the UTC day, counted in PostgreSQL under a lock
  // per key so that every replica spends the same quota.
  claimSlot(keyId: string, limits: QuotaLimits, now: number): Promise<QuotaClaim> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`kanshi-virustotal-quota:${keyId}`]);
      const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
      const windowStart = now - limits.windowMs;
      const keepFrom = limits.perDay > 0 ? Math.min(dayStart, windowStart) : windowStart;
      await em.query(`DELETE FROM analysis.reputation_quota_use WHERE key_id = $1 AND used_at <= $2`, [keyId, new Date(keepFrom)]);
      const [row]: { in_window: number; oldest: Date | null; today: number }[] = await em.query(
        `SELECT count(*) FILTER (WHERE used_at > $2)::int AS in_window, min(used_at) FILTER (WHERE used_at > $2) AS oldest,
                count(*) FILTER (WHERE used_at >= $3)::int AS today
           FROM analysis.reputation_quota_use WHERE key_id = $1`,
        [keyId, new Date(windowStart), new Date(dayStart)],
      );
      if (limits.perDay > 0 && row.today >= limits.perDay) return { ok: false, nextAt: dayStart + DAY_MS };
      if (row.in_window >= limits.perWindow) return { ok: false, nextAt: (row.oldest ? row.oldest.getTime() : now) + limits.windowMs + 1 };
      await em.query(`INSERT INTO analysis.reputation_quota_use (key_id, used_at) VALUES ($1, $2)`, [keyId, new Date(now)]);
      return { ok: true };
    });
  }
}
