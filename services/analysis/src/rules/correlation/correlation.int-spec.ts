// Correlation windows in PostgreSQL: they outlive the engine that wrote them (a restart), and two
// engines (two replicas) observing the same group at once count each event exactly once.
import { DataSource } from 'typeorm';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../../app.module';
import { loadConfig } from '../../config';
import { parseSigmaRule } from '../sigma/sigma-parser';
import { CorrelationEngine } from './correlation-engine';
import { CorrelationRepository } from './correlation.repository';

jest.setTimeout(60_000);

let kit: SubgraphKit;
let ruleId: string;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
  [{ id: ruleId }] = await kit.ds.query(`SELECT id FROM analysis.detection_rule WHERE pack_file = 'credential-brute-force.yml'`);
});
afterAll(() => kit?.close());

const correlation = parseSigmaRule(`title: b
level: low
logsource: {}
detection: { s: { event.outcome: failure }, condition: s }
correlation: { type: event_count, group-by: [source.ip], timespan: 10m, condition: { gte: 6 } }
`).correlation!;
const T0 = Date.parse('2026-11-20T01:00:00Z');

function engineOn(ds: DataSource, now = T0) {
  return new CorrelationEngine(new CorrelationRepository(ds), () => new Date(now));
}

it('keeps the window across engines, and six concurrent observers from two engines fire exactly once', async () => {
  const customerId = '00000000-0000-4000-8000-0000000000c1';
  const observe = (engine: CorrelationEngine, minutes: number) =>
    kit.ds.transaction((tx) => engine.observe(tx, { ruleId, customerId, correlation, groupKey: '203.0.113.10', at: new Date(T0 + minutes * 60_000) }));
  const first = engineOn(kit.ds);
  expect((await observe(first, 0)).count).toBe(1);
  // A restarted engine (new instance) sees the same window.
  const [a, b] = [engineOn(kit.ds), engineOn(kit.ds)];
  const outcomes = await Promise.all([1, 1, 1, 1, 1].map((m, k) => observe(k % 2 ? a : b, m)));
  expect(outcomes.map((o) => o.count).sort()).toEqual([2, 3, 4, 5, 6]);
  expect(outcomes.filter((o) => o.fired)).toHaveLength(1);
});

it('prunes entries whose window ended', async () => {
  const customerId = '00000000-0000-4000-8000-0000000000c2';
  const engine = engineOn(kit.ds);
  await kit.ds.transaction((tx) => engine.observe(tx, { ruleId, customerId, correlation, groupKey: 'x', at: new Date(T0) }));
  const later = engineOn(kit.ds, T0 + 11 * 60_000);
  expect(await later.prune(null)).toBeGreaterThanOrEqual(1);
  const [{ n }] = await kit.ds.query(`SELECT count(*)::int AS n FROM analysis.correlation_entry WHERE customer_id = $1`, [customerId]);
  expect(n).toBe(0);
});
