import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RenderFailureRef } from './render-failure-ref';
import { RenderFailureRow } from './render-failure.row';

@Injectable()
export class RenderFailuresRepository {
  constructor(private readonly ds: DataSource) {}

  async record(ref: RenderFailureRef, error: string, attempts: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO reporting.render_failure (job_key, kind, customer_id, owner_partner_id, subject_id, request, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (job_key) DO UPDATE SET request = EXCLUDED.request, error = EXCLUDED.error, attempts = reporting.render_failure.attempts + EXCLUDED.attempts,
         failed_at = now(), resolved_at = NULL`,
      [ref.jobKey, ref.kind, ref.customerId, ref.customerId ? null : (ref.partnerId ?? null), ref.subjectId ?? null, JSON.stringify(ref.request), error.slice(0, 4000), attempts],
    );
  }

  async resolve(jobKey: string): Promise<void> {
    await this.ds.query(`UPDATE reporting.render_failure SET resolved_at = now() WHERE job_key = $1 AND resolved_at IS NULL`, [jobKey]);
  }

  // Unresolved failures, newest first.
  async open(limit: number): Promise<RenderFailureRow[]> {
    return this.ds.query(
      `SELECT id, job_key AS "jobKey", kind, customer_id AS "customerId", owner_partner_id AS "ownerPartnerId", subject_id AS "subjectId",
              request, error, attempts, failed_at AS "failedAt"
       FROM reporting.render_failure WHERE resolved_at IS NULL ORDER BY failed_at DESC, id DESC LIMIT $1`,
      [limit],
    );
  }
}
