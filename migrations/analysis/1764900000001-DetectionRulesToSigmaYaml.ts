import { MigrationInterface, QueryRunner } from 'typeorm';

type Condition = Record<string, unknown>;

// The JSON condition operators, as Sigma modifiers.
const OPS: Record<string, string> = { eq: '', gte: '|gte', lte: '|lte', in: '', contains: '|contains', exists: '|exists' };
const LEVEL: Record<string, string> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low' };
// What the JSON conditions called kanshi.blocked, in the fields the parsers emit.
const FIELD: Record<string, string> = { 'kanshi.blocked': 'event.outcome' };

const quote = (v: unknown): string => JSON.stringify(v);

// One Sigma field item per link of the condition's "and" chain.
function items(c: Condition): string[] {
  const out: string[] = [];
  for (let node: Condition | undefined = c; node; node = typeof node.and === 'object' && node.and !== null ? (node.and as Condition) : undefined) {
    const field = String(node.field);
    const op = Object.keys(OPS).find((k) => k in node!) ?? 'exists';
    const value: unknown = field === 'kanshi.blocked' ? (node[op] === true ? 'failure' : 'success') : (node[op] ?? true);
    const key = field === 'kanshi.blocked' ? FIELD[field] : `${field}${OPS[op]}`;
    out.push(`    ${key}: ${Array.isArray(value) ? `[${value.map(quote).join(', ')}]` : quote(value)}`);
  }
  return out;
}

// Converts every JSON-condition rule (the three seeded ones, and any created through the old API)
// into the equivalent Sigma YAML, version 1.
export class DetectionRulesToSigmaYaml1764900000001 implements MigrationInterface {
  name = 'DetectionRulesToSigmaYaml1764900000001';

  async up(q: QueryRunner): Promise<void> {
    const rows: { id: string; name: string; description: string; severity: string; condition: Condition; created_by: string }[] = await q.query(
      `SELECT id, name, description, severity, condition, created_by FROM analysis.detection_rule WHERE yaml IS NULL`,
    );
    for (const r of rows) {
      const level = LEVEL[r.severity] ?? 'medium';
      const yaml = [
        `title: ${quote(r.name)}`,
        `description: ${quote(r.description)}`,
        `level: ${level}`,
        `logsource: {}`,
        `detection:`,
        `  selection:`,
        ...items(r.condition),
        `  condition: selection`,
        '',
      ].join('\n');
      await q.query(`UPDATE analysis.detection_rule SET yaml = $2, level = $3 WHERE id = $1`, [r.id, yaml, level]);
      await q.query(`INSERT INTO analysis.detection_rule_version (rule_id, version, yaml, created_by) VALUES ($1, 1, $2, $3)`, [r.id, yaml, r.created_by]);
    }
  }

  async down(): Promise<void> {
    // The YAML stays: the JSON conditions are still beside it until the next migration drops them.
  }
}
