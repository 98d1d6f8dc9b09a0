import { MigrationInterface, QueryRunner } from 'typeorm';

// Sample reputation: VirusTotal answers per file hash (found or not) with their expiry, and the
// requests made with each API key, so the key's quota holds across replicas and restarts.
export class CreateReputationCache1796205242547 implements MigrationInterface {
  name = 'CreateReputationCache1796205242547';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analysis.reputation_cache (
      hash text PRIMARY KEY CHECK (hash ~ '^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$'),
      answer jsonb NOT NULL,
      fetched_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX reputation_cache_expires_at ON analysis.reputation_cache (expires_at)`);
    // key_id: a digest of the API key, never the key itself.
    await q.query(`CREATE TABLE analysis.reputation_quota_use (
      key_id text NOT NULL,
      used_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX reputation_quota_use_key_at ON analysis.reputation_quota_use (key_id, used_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analysis.reputation_quota_use`);
    await q.query(`DROP TABLE analysis.reputation_cache`);
  }
}
