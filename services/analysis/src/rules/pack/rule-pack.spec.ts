// Every shipped rule: well-formed, with ATT&CK techniques, a level and Japanese and English texts,
// and its own test events (each `match` case fires on its last event, each `no_match` does not).
import { CorrelationEngine } from '../correlation/correlation-engine';
import { MemoryCorrelationStore } from '../correlation/correlation-store';
import { RuleSet } from '../evaluation/rule-set';
import { compileRule } from '../sigma/sigma-compiler';
import { parseSigmaRule } from '../sigma/sigma-parser';
import type { SigmaTestCase } from '../sigma/sigma-rule';
import { readPack } from './rule-pack';

const PACK = readPack();
const T0 = Date.parse('2026-11-20T01:00:00Z');

async function firesOnLast(yaml: string, c: SigmaTestCase): Promise<boolean> {
  const set = new RuleSet([{ id: 'r', version: 1, compiled: compileRule(parseSigmaRule(yaml)) }]);
  const engine = new CorrelationEngine(new MemoryCorrelationStore(), () => new Date(T0));
  let last = false;
  for (const e of c.events) {
    const { matches, failures } = await set.evaluate(null, { customerId: 'c1', product: e.product, ecs: e.ecs, at: new Date(T0 + e.offsetMs) }, engine);
    expect(failures).toEqual([]);
    last = matches.length > 0;
  }
  return last;
}

describe('the shipped rule pack', () => {
  it('covers the MDR list with at least 16 rules, each with a unique id and title', () => {
    const rules = PACK.map((f) => parseSigmaRule(f.yaml));
    expect(rules.length).toBeGreaterThanOrEqual(16);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.title)).size).toBe(rules.length);
    expect(rules.map((r) => r.correlation?.type).filter(Boolean).sort()).toEqual(['event_count', 'event_count', 'event_count', 'temporal_ordered', 'value_count']);
  });

  describe.each(PACK.map((f) => [f.file, f.yaml] as const))('%s', (_file, yaml) => {
    const rule = parseSigmaRule(yaml);

    it('has an id, ATT&CK techniques, a level and JA/EN reason and actions', () => {
      expect(rule.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(rule.attackTechniques.length).toBeGreaterThan(0);
      expect(rule.kanshi?.reason.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(rule.kanshi?.reason.en).toMatch(/[a-z]/);
      expect(rule.kanshi?.actions.length).toBeGreaterThan(0);
      for (const a of rule.kanshi!.actions) expect(a.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(rule.tests.match.length).toBeGreaterThan(0);
      expect(rule.tests.noMatch.length).toBeGreaterThan(0);
    });

    it.each(rule.tests.match.map((c) => [c.at, c] as const))('fires on its match case at %s', async (_at, c) => {
      expect(await firesOnLast(yaml, c)).toBe(true);
    });

    it.each(rule.tests.noMatch.map((c) => [c.at, c] as const))('stays quiet on its no_match case at %s', async (_at, c) => {
      expect(await firesOnLast(yaml, c)).toBe(false);
    });
  });
});
