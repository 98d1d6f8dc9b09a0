import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DetectionRuleEntity } from './detection-rule.entity';
import { RuleError } from './rules.errors';
import type { SigmaRule } from './sigma/sigma-rule';
import { LEVEL_SEVERITY } from './evaluation/rule-set';

export interface RuleWrite {
  yaml: string;
  rule: SigmaRule;
}

export interface RuleOverride {
  ruleId: string;
  customerId: string;
  enabled: boolean;
}

const UNIQUE_VIOLATION = '23505';

function columns(w: RuleWrite): Partial<DetectionRuleEntity> {
  const r = w.rule;
  return {
    name: r.title,
    description: r.description,
    products: r.products,
    severity: LEVEL_SEVERITY[r.level],
    yaml: w.yaml,
    level: r.level,
    tags: r.tags,
    attackTechniques: r.attackTechniques,
    logsource: r.logsource,
    sigmaId: r.id,
  };
}

@Injectable()
export class RulesRepository {
  constructor(private readonly ds: DataSource) {}

  list(): Promise<DetectionRuleEntity[]> {
    return this.ds.getRepository(DetectionRuleEntity).find({ order: { name: 'ASC', id: 'ASC' } });
  }

  findById(id: string, tx?: EntityManager): Promise<DetectionRuleEntity | null> {
    return (tx ?? this.ds.manager).getRepository(DetectionRuleEntity).findOne({ where: { id } });
  }

  /** Inserts version 1 of a rule (and its version row); a taken title is RULE_TITLE_TAKEN. */
  insert(w: RuleWrite, by: string, pack?: { file: string; hash: string }, tx?: EntityManager): Promise<DetectionRuleEntity> {
    const run = async (em: EntityManager) => {
      const repo = em.getRepository(DetectionRuleEntity);
      const saved = await repo.save(repo.create({ ...columns(w), version: 1, enabled: true, createdBy: by, updatedBy: by, packFile: pack?.file ?? null, packHash: pack?.hash ?? null }));
      await em.query(`INSERT INTO analysis.detection_rule_version (rule_id, version, yaml, created_by) VALUES ($1, 1, $2, $3)`, [saved.id, w.yaml, by]);
      return saved;
    };
    return this.titleChecked(w.rule.title, () => (tx ? run(tx) : this.ds.transaction(run)));
  }

  /**
   * Applies a change as the next version (the YAML, the enabled flag, or both); null when the rule
   * does not exist. Serialized per rule, so concurrent updates each get their own version.
   */
  update(id: string, change: { write?: RuleWrite; enabled?: boolean; pack?: { hash: string } }, by: string, tx?: EntityManager): Promise<DetectionRuleEntity | null> {
    const run = async (em: EntityManager): Promise<DetectionRuleEntity | null> => {
      const repo = em.getRepository(DetectionRuleEntity);
      const current = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) return null;
      const version = current.version + 1;
      const next: Partial<DetectionRuleEntity> = { version, updatedBy: by, updatedAt: new Date() };
      if (change.write) Object.assign(next, columns(change.write));
      if (change.enabled !== undefined) {
        next.enabled = change.enabled;
        if (change.enabled) next.lastError = null;
      }
      if (change.pack) next.packHash = change.pack.hash;
      await repo.update({ id }, next);
      await em.query(`INSERT INTO analysis.detection_rule_version (rule_id, version, yaml, created_by) VALUES ($1, $2, $3, $4)`, [id, version, next.yaml ?? current.yaml, by]);
      return repo.findOneOrFail({ where: { id } });
    };
    return this.titleChecked(change.write?.rule.title ?? '', () => (tx ? run(tx) : this.ds.transaction(run)));
  }

  /** The YAML of one version of a rule (what a verdict names), or null. */
  async versionYaml(id: string, version: number): Promise<string | null> {
    const rows: { yaml: string }[] = await this.ds.query(`SELECT yaml FROM analysis.detection_rule_version WHERE rule_id = $1 AND version = $2`, [id, version]);
    return rows[0]?.yaml ?? null;
  }

  async setForCustomer(ruleId: string, customerId: string, enabled: boolean, by: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO analysis.detection_rule_customer (rule_id, customer_id, enabled, set_by, set_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (rule_id, customer_id) DO UPDATE SET enabled = EXCLUDED.enabled, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
      [ruleId, customerId, enabled, by],
    );
  }

  /** Every enabled rule's current version. */
  enabledRules(): Promise<{ id: string; version: number; yaml: string }[]> {
    return this.ds.query(`SELECT id, version, yaml FROM analysis.detection_rule WHERE enabled ORDER BY name, id`);
  }

  /** The per-customer settings (rows only exist where someone set one). */
  async overrides(): Promise<RuleOverride[]> {
    const rows: { rule_id: string; customer_id: string; enabled: boolean }[] = await this.ds.query(`SELECT rule_id, customer_id, enabled FROM analysis.detection_rule_customer`);
    return rows.map((r) => ({ ruleId: r.rule_id, customerId: r.customer_id, enabled: r.enabled }));
  }

  /** A marker that changes whenever a rule or a per-customer setting does (cache validation). */
  async stamp(): Promise<string> {
    const rows: { stamp: string }[] = await this.ds.query(
      `SELECT (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(sum(version), 0) FROM analysis.detection_rule)
           || '/' || (SELECT count(*) || ':' || coalesce(max(set_at)::text, '') FROM analysis.detection_rule_customer) AS stamp`,
    );
    return rows[0].stamp;
  }

  /** Turns a rule off after it failed on an alert, keeping the error; only if still at that version. */
  async disableWithError(tx: EntityManager | null, id: string, version: number, error: string): Promise<void> {
    await (tx ?? this.ds.manager).query(`UPDATE analysis.detection_rule SET enabled = false, last_error = $3, updated_at = now() WHERE id = $1 AND version = $2`, [id, version, error.slice(0, 2000)]);
  }

  /** Runs `work` holding the pack lock, so two replicas booting together apply the pack once. */
  withPackLock<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('analysis-rule-pack', 0))`);
      return work(tx);
    });
  }

  packRules(tx: EntityManager): Promise<DetectionRuleEntity[]> {
    return tx.getRepository(DetectionRuleEntity).createQueryBuilder('r').where('r.pack_file IS NOT NULL').getMany();
  }

  async disableRemovedFromPack(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`UPDATE analysis.detection_rule SET enabled = false, last_error = 'removed from the shipped rule pack', updated_at = now() WHERE id = $1 AND enabled`, [id]);
  }

  private async titleChecked<T>(title: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if ((e as { driverError?: { code?: string }; code?: string }).driverError?.code === UNIQUE_VIOLATION || (e as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new RuleError('RULE_TITLE_TAKEN', `another rule is titled "${title}"`, 'yaml');
      }
      throw e;
    }
  }
}
