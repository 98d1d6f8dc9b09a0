import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IntakeKey } from './intake-key';

// The first answer to a request, as the sender got it (status and JSON body).
export interface StoredAnswer {
  status: number;
  body: unknown;
  // the key stands for this content (IntakeKey.digest)
  digest: string;
  createdAt: Date;
}

export interface IntakeClaim {
  sensorId: string;
  customerId: string;
  transport: string;
  key: IntakeKey;
  status: number;
  body: unknown;
}

// ingestion.intake_request: the keys of the requests whose batches are stored, with their first
// answer, kept until expires_at (then purged by IntakeRequestPurge).
@Injectable()
export class IntakeRequestsRepository {
  constructor(private readonly ds: DataSource) {}

  // The answer stored under the key, unless it expired.
  async find(sensorId: string, key: string, em: EntityManager = this.ds.manager): Promise<StoredAnswer | null> {
    const rows: { status: number; answer: unknown; body_digest: string; created_at: Date }[] = await em.query(
      `SELECT status, answer, body_digest, created_at FROM ingestion.intake_request WHERE sensor_id = $1 AND request_key = $2 AND expires_at > now()`,
      [sensorId, key],
    );
    return rows[0] ? { status: rows[0].status, body: rows[0].answer, digest: rows[0].body_digest, createdAt: rows[0].created_at } : null;
  }

  // In the batch's transaction, before its rows: takes the key. false when a live row holds it
  // (another request with this key committed first; one still in flight makes this wait for its
  // outcome, on the primary key). An expired row not yet purged is taken over.
  async claim(em: EntityManager, c: IntakeClaim): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO ingestion.intake_request (sensor_id, request_key, customer_id, transport, body_digest, status, answer, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now() + make_interval(hours => $8))
       ON CONFLICT (sensor_id, request_key) DO UPDATE
         SET customer_id = EXCLUDED.customer_id, transport = EXCLUDED.transport, body_digest = EXCLUDED.body_digest,
             status = EXCLUDED.status, answer = EXCLUDED.answer, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
         WHERE intake_request.expires_at <= now()
       RETURNING 1`,
      [c.sensorId, c.key.key, c.customerId, c.transport, c.key.digest, c.status, JSON.stringify(c.body), c.key.ttlHours],
    );
    return rows.length === 1;
  }

  // Deletes expired rows, at most `limit`; returns how many.
  async purgeExpired(limit: number): Promise<number> {
    const [, count]: [unknown[], number] = await this.ds.query(
      `DELETE FROM ingestion.intake_request WHERE ctid IN (SELECT ctid FROM ingestion.intake_request WHERE expires_at <= now() LIMIT $1)`,
      [limit],
    );
    return count;
  }
}
