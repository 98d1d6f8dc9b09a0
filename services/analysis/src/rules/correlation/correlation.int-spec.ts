// Correlation windows in PostgreSQL: they outlive the engine that wrote them (a restart), and two
// engines (two replicas) observing the same group at once count each event exactly once.
import { DataSource } from 'typeorm';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../../app.module';
import { loadConfig } from '../../config';
import { parseSigmaRule } from '../sigma/sigma-parser';
import { CorrelationEngine, type CorrelationOutcome } from './correlation-engine';
import { CorrelationRepository } from './correlation.repository';

jest.setTimeout(60_000);

let kit: SubgraphKit;
let ruleId: string;
let otherRuleId: string;
let sequenceRuleId: string;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
  [{ id: ruleId }] = await kit.ds.query(`SELECT id FROM analysis.detection_rule WHERE pack_file = 'credential-brute-force.yml'`);
  [{ id: otherRuleId }] = await kit.ds.query(`SELECT id FROM analysis.detection_rule WHERE pack_file = 'lateral-movement-one-account-many-hosts.yml'`);
  [{ id: sequenceRuleId }] = await kit.ds.query(`SELECT id FROM analysis.detection_rule WHERE pack_file = 'nx-then-antivirus-same-host.yml'`);
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

it('writes window entries and values with no trigger per row (no foreign key to check), and prunes them by a BRIN index', async () => {
  const triggers = await kit.ds.query(
    `SELECT tgrelid::regclass::text AS t, tgname FROM pg_trigger WHERE tgrelid IN ('analysis.correlation_entry'::regclass, 'analysis.correlation_value'::regclass)`,
  );
  expect(triggers).toEqual([]);
  const [{ am }] = await kit.ds.query(`SELECT a.amname AS am FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.oid = 'analysis.correlation_entry_expiry'::regclass`);
  expect(am).toBe('brin');
});

const sequence = parseSigmaRule(`title: s
level: high
logsource: {}
correlation:
  type: temporal_ordered
  group-by: [host.ip]
  timespan: 10m
  steps:
    - { name: a, logsource: {}, detection: { x: { event.kind: alert }, condition: x } }
    - { name: b, logsource: {}, detection: { x: { event.kind: alert }, condition: x } }
`).correlation!;

const distinct = parseSigmaRule(`title: v
level: low
logsource: {}
detection: { s: { event.outcome: success }, condition: s }
correlation: { type: value_count, group-by: [user.name], timespan: 30m, condition: { field: host.name, gte: 3 } }
`).correlation!;

it('observes a batch in PostgreSQL with the outcome of observing it one event after another', async () => {
  // one stream, observed one by one for one customer and in batches for another
  let x = 7;
  // xorshift32: a seeded stream whose draws do not cycle together
  const rnd = (k: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % k;
  };
  const kinds = [
    { ruleId, correlation },
    { ruleId: otherRuleId, correlation: distinct },
    { ruleId: sequenceRuleId, correlation: sequence },
  ];
  const stream = Array.from({ length: 300 }, () => {
    const kind = kinds[rnd(3)];
    return {
      ...kind,
      groupKey: `k${rnd(3)}`,
      at: new Date(T0 + (rnd(60) - 10) * 60_000 + rnd(1000)),
      value: kind.correlation === distinct && rnd(6) !== 0 ? `host-${rnd(4)}` : null,
      steps: kind.correlation === sequence ? [rnd(2)] : undefined,
    };
  });
  const one = '00000000-0000-4000-8000-0000000000c3';
  const many = '00000000-0000-4000-8000-0000000000c4';
  const engine = engineOn(kit.ds);
  const expected: CorrelationOutcome[] = [];
  for (const o of stream) expected.push(await kit.ds.transaction((tx) => engine.observe(tx, { ...o, customerId: one })));
  const got: CorrelationOutcome[] = [];
  for (let i = 0; i < stream.length; i += 64) got.push(...(await kit.ds.transaction((tx) => engine.observeMany(tx, stream.slice(i, i + 64).map((o) => ({ ...o, customerId: many }))))));
  expect(got).toEqual(expected);
  expect(expected.filter((o) => o.fired).length).toBeGreaterThan(10);
  // each kind fired somewhere in the stream
  expect(new Set(stream.filter((_, k) => expected[k].fired).map((o) => o.ruleId)).size).toBe(3);
  const rows = (c: string) => kit.ds.query(`SELECT rule_id, group_key, step, value, at, expires_at FROM analysis.correlation_entry WHERE customer_id = $1 ORDER BY id`, [c]);
  expect(await rows(many)).toEqual(await rows(one));
});

it('two engines observing overlapping batches at once count each event once and fire once', async () => {
  const customerId = '00000000-0000-4000-8000-0000000000c5';
  const batch = (keys: string[], minute: number) => keys.map((groupKey) => ({ ruleId, customerId, correlation, groupKey, at: new Date(T0 + minute * 60_000) }));
  const [a, b] = [engineOn(kit.ds), engineOn(kit.ds)];
  // the two batches lock the same keys named in opposite orders: neither waits forever
  const outcomes = (
    await Promise.all([
      kit.ds.transaction((tx) => a.observeMany(tx, [...batch(['p', 'q', 'r'], 1), ...batch(['p', 'q', 'r'], 2), ...batch(['p'], 3)])),
      kit.ds.transaction((tx) => b.observeMany(tx, [...batch(['r', 'q', 'p'], 1), ...batch(['r', 'q', 'p'], 2), ...batch(['p'], 3)])),
    ])
  ).flat();
  // one batch goes first whole; the other's counts then include its entries (windows end at each event's time)
  const ofP = outcomes.filter((o) => o.groupKey === 'p');
  expect(ofP.map((o) => o.count).sort((m, n) => m - n)).toEqual([1, 2, 2, 3, 4, 6]);
  expect(ofP.filter((o) => o.fired)).toHaveLength(1);
  expect(outcomes.filter((o) => o.groupKey === 'q').map((o) => o.count).sort()).toEqual([1, 2, 2, 4]);
});
