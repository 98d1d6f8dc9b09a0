import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { SocSeverity } from '@kanshi/events';
import { TenantDirectory } from '@kanshi/platform';
import { VerdictEntity } from './verdict.entity';

export type NewVerdict = Omit<VerdictEntity, 'overrideSeverity' | 'overrideRationale' | 'overrideBy' | 'overrideAt'>;

type SavepointName = 'analyse_alert' | 'analyse_batch';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class VerdictsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // The verdict already given to an alert (a redelivery or a repeat of the same vendor alert).
  async findByAlert(tx: EntityManager, alertId: string): Promise<{ id: string; repeatCount: number } | null> {
    const rows: { id: string; repeat_count: number }[] = await tx.query(`SELECT id, repeat_count FROM analysis.verdict WHERE alert_id = $1`, [alertId]);
    return rows[0] ? { id: rows[0].id, repeatCount: rows[0].repeat_count } : null;
  }

  // The verdicts already given to any of these alerts: alert id -> repeat count.
  async repeatCountsByAlert(tx: EntityManager, alertIds: string[]): Promise<Map<string, number>> {
    const rows: { alert_id: string; repeat_count: number }[] = await tx.query(`SELECT alert_id, repeat_count FROM analysis.verdict WHERE alert_id = ANY($1::uuid[])`, [alertIds]);
    return new Map(rows.map((r) => [r.alert_id, r.repeat_count]));
  }

  // Only ever up: a late, older repeat does not lower the count.
  async raiseRepeatCount(tx: EntityManager, alertId: string, repeatCount: number): Promise<void> {
    await tx.query(`UPDATE analysis.verdict SET repeat_count = $2 WHERE alert_id = $1 AND repeat_count < $2`, [alertId, repeatCount]);
  }

  // false when the alert already has a verdict (another replica got there first).
  async insert(tx: EntityManager, v: NewVerdict): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO analysis.verdict (id, alert_id, customer_id, sensor_id, product, group_id, severity, automatic_severity, reasons, actions,
         isolation_recommended, endpoints, blocked, signature, category, repeat_count, suppressed_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12::jsonb, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (alert_id) DO NOTHING RETURNING id`,
      [
        v.id,
        v.alertId,
        v.customerId,
        v.sensorId,
        v.product,
        v.groupId,
        v.severity,
        v.automaticSeverity,
        JSON.stringify(v.reasons),
        JSON.stringify(v.actions),
        v.isolationRecommended,
        JSON.stringify(v.endpoints),
        v.blocked,
        v.signature,
        v.category,
        v.repeatCount,
        v.suppressedBy,
        v.decidedAt,
      ],
    );
    return rows.length > 0;
  }

  // Many verdicts in one statement (the rows as one JSON parameter); answers the alert ids
  // inserted: an alert missing from it already had a verdict.
  async insertMany(tx: EntityManager, vs: NewVerdict[]): Promise<Set<string>> {
    if (vs.length === 0) return new Set();
    const rows: { alert_id: string }[] = await tx.query(
      `INSERT INTO analysis.verdict (id, alert_id, customer_id, sensor_id, product, group_id, severity, automatic_severity, reasons, actions,
         isolation_recommended, endpoints, blocked, signature, category, repeat_count, suppressed_by, decided_at)
       SELECT t.id, t.alert_id, t.customer_id, t.sensor_id, t.product, t.group_id, t.severity, t.automatic_severity, t.reasons, t.actions,
         t.isolation_recommended, t.endpoints, t.blocked, t.signature, t.category, t.repeat_count, t.suppressed_by, t.decided_at
       FROM jsonb_to_recordset($1::jsonb) AS t(id uuid, alert_id uuid, customer_id uuid, sensor_id uuid, product text, group_id uuid, severity text,
         automatic_severity text, reasons jsonb, actions jsonb, isolation_recommended boolean, endpoints jsonb, blocked boolean, signature text,
         category text[], repeat_count int, suppressed_by uuid, decided_at timestamptz)
       ON CONFLICT (alert_id) DO NOTHING RETURNING alert_id`,
      [
        JSON.stringify(
          vs.map((v) => ({
            id: v.id,
            alert_id: v.alertId,
            customer_id: v.customerId,
            sensor_id: v.sensorId,
            product: v.product,
            group_id: v.groupId,
            severity: v.severity,
            automatic_severity: v.automaticSeverity,
            reasons: v.reasons,
            actions: v.actions,
            isolation_recommended: v.isolationRecommended,
            endpoints: v.endpoints,
            blocked: v.blocked,
            signature: v.signature,
            category: v.category,
            repeat_count: v.repeatCount,
            suppressed_by: v.suppressedBy,
            decided_at: v.decidedAt,
          })),
        ),
      ],
    );
    return new Set(rows.map((r) => r.alert_id));
  }

  // Each alert's analysis runs under a savepoint: a failure rolls back only that alert's writes,
  // and its manual-triage verdict is written in the same transaction.
  // A batch analysed together runs under one (analyse_batch).
  async savepoint(tx: EntityManager, name: SavepointName = 'analyse_alert'): Promise<void> {
    await tx.query(`SAVEPOINT ${name}`);
  }

  async rollbackToSavepoint(tx: EntityManager, name: SavepointName = 'analyse_alert'): Promise<void> {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
  }

  async releaseSavepoint(tx: EntityManager, name: SavepointName = 'analyse_alert'): Promise<void> {
    await tx.query(`RELEASE SAVEPOINT ${name}`);
  }

  // Verdicts of these alerts that the scope may see, by alert id.
  async visibleByAlertIds(scope: TenantScope, alertIds: readonly string[]): Promise<Map<string, VerdictEntity>> {
    const ids = alertIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return new Map();
    const qb = this.ds.getRepository(VerdictEntity).createQueryBuilder('v').where('v.alert_id IN (:...ids)', { ids });
    const rows = await this.directory.applyScope(qb, scope, 'v.customer_id').getMany();
    return new Map(rows.map((r) => [r.alertId, r]));
  }

  async visibleById(scope: TenantScope, id: string): Promise<VerdictEntity | null> {
    if (!UUID.test(id)) return null;
    const qb = this.ds.getRepository(VerdictEntity).createQueryBuilder('v').where('v.id = :id', { id });
    return this.directory.applyScope(qb, scope, 'v.customer_id').getOne();
  }

  async override(tx: EntityManager, id: string, o: { severity: SocSeverity; rationale: string; by: string; at: Date }): Promise<VerdictEntity> {
    await tx.query(
      `UPDATE analysis.verdict SET severity = $2, override_severity = $2, override_rationale = $3, override_by = $4, override_at = $5 WHERE id = $1`,
      [id, o.severity, o.rationale, o.by, o.at],
    );
    return tx.getRepository(VerdictEntity).findOneByOrFail({ id });
  }
}
