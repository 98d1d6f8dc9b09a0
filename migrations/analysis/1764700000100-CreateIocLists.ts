import { MigrationInterface, QueryRunner } from 'typeorm';

// IOC lists (global when customer_id is null) and their indicators, looked up by (type, value).
// ioc_revision is bumped by every import so each replica's in-memory index knows to reload.
export class CreateIocLists1764700000100 implements MigrationInterface {
  name = 'CreateIocLists1764700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analysis.ioc_list (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid,
      name text NOT NULL,
      source text NOT NULL,
      tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED')),
      default_confidence smallint NOT NULL DEFAULT 50 CHECK (default_confidence BETWEEN 0 AND 100),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // One list of a name per owner (NULLS NOT DISTINCT: one global list of a name too).
    await q.query(`CREATE UNIQUE INDEX ioc_list_owner_name_key ON analysis.ioc_list (customer_id, name) NULLS NOT DISTINCT`);
    await q.query(`CREATE TABLE analysis.ioc_indicator (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      list_id uuid NOT NULL REFERENCES analysis.ioc_list (id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type IN ('MD5', 'SHA1', 'SHA256', 'IPV4', 'IPV6', 'DOMAIN', 'URL')),
      value text NOT NULL,
      confidence smallint NOT NULL CHECK (confidence BETWEEN 0 AND 100),
      valid_from timestamptz,
      valid_until timestamptz,
      tlp text CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED')),
      stix_id text,
      description text NOT NULL DEFAULT '',
      labels text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (list_id, type, value)
    )`);
    await q.query(`CREATE INDEX ioc_indicator_lookup_idx ON analysis.ioc_indicator (type, value)`);
    await q.query(`CREATE INDEX ioc_indicator_list_value_idx ON analysis.ioc_indicator (list_id, value, id)`);
    await q.query(`CREATE TABLE analysis.ioc_revision (id smallint PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL)`);
    await q.query(`INSERT INTO analysis.ioc_revision (id, revision) VALUES (1, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analysis.ioc_revision`);
    await q.query(`DROP TABLE analysis.ioc_indicator`);
    await q.query(`DROP TABLE analysis.ioc_list`);
  }
}
