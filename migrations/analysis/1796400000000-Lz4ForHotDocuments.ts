import { MigrationInterface, QueryRunner } from 'typeorm';

// Every verdict writes two documents of about 3 KB (its reasons and actions in Japanese and English,
// and the same in its v2 outbox row), and every batch rewrites its groups' host and IOC lists. Past
// 2 KB PostgreSQL compresses a value before storing it, with pglz unless told otherwise: about 25 us
// for a 3 KB document, on every insert and group update. lz4 compresses the same documents in about
// a third of that and decompresses faster. Values already stored keep their method (both read
// back the same); a server built without lz4 keeps pglz.
const COLUMNS: [table: string, column: string][] = [
  ['verdict', 'reasons'],
  ['verdict', 'actions'],
  ['verdict', 'endpoints'],
  ['outbox', 'payload'],
  ['alert_group', 'hosts'],
  ['alert_group', 'ioc_values'],
  ['alert_group', 'rule_keys'],
];

async function lz4Available(q: QueryRunner): Promise<boolean> {
  const rows: { ok: boolean }[] = await q.query(`SELECT 'lz4' = ANY(enumvals) AS ok FROM pg_settings WHERE name = 'default_toast_compression'`);
  return rows[0]?.ok === true;
}

export class Lz4ForHotDocuments1796400000000 implements MigrationInterface {
  name = 'Lz4ForHotDocuments1796400000000';

  async up(q: QueryRunner): Promise<void> {
    if (!(await lz4Available(q))) return;
    for (const [table, column] of COLUMNS) await q.query(`ALTER TABLE analysis.${table} ALTER COLUMN ${column} SET COMPRESSION lz4`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) await q.query(`ALTER TABLE analysis.${table} ALTER COLUMN ${column} SET COMPRESSION DEFAULT`);
  }
}
