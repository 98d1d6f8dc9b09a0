// Counts and ordered sequences over time windows, with an injected clock and the memory store.
import { RuleSet } from '../evaluation/rule-set';
import { CorrelationEngine, type CorrelationOutcome } from './correlation-engine';
import { MemoryCorrelationStore } from './correlation-store';

const T0 = new Date('2026-11-20T01:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function setup(yaml: string, now = T0) {
  let clock = now;
  const store = new MemoryCorrelationStore();
  const engine = new CorrelationEngine(store, () => clock);
  const { set, broken } = RuleSet.compile([{ id: 'r1', version: 3, yaml }]);
  expect(broken).toEqual([]);
  const sut = (product: Parameters<RuleSet['evaluate']>[1]['product'], ecs: Record<string, unknown>, minutes: number, customerId = 'c1') =>
    set.evaluate(null, { customerId, product, ecs, at: at(minutes) }, engine).then((r) => r.matches);
  return { sut, ctx: { store, engine, setClock: (d: Date) => (clock = d) } };
}

const BRUTE = `title: Brute force
level: medium
tags: [attack.t1110]
logsource: { category: authentication }
detection:
  failed: { event.category: authentication, event.outcome: failure }
  condition: failed
correlation:
  type: event_count
  group-by: [source.ip]
  timespan: 10m
  condition: { gte: 3 }
`;
const failedLogin = (ip: string) => ({ event: { category: ['authentication'], outcome: 'failure' }, source: { ip } });

describe('event_count', () => {
  it('fires on the event that brings the group to the threshold within the timespan, and on the ones after', async () => {
    const { sut } = setup(BRUTE);
    expect(await sut('FORTIGATE', failedLogin('198.51.100.9'), 0)).toEqual([]);
    expect(await sut('FORTIGATE', failedLogin('198.51.100.9'), 4)).toEqual([]);
    const [m] = await sut('FORTIGATE', failedLogin('198.51.100.9'), 9);
    expect(m).toMatchObject({ ruleId: 'r1', version: 3, severity: 'MEDIUM', attackTechniques: ['T1110'], correlation: { type: 'event_count', groupKey: '198.51.100.9', count: 3, firstAt: at(0) } });
    expect(await sut('FORTIGATE', failedLogin('198.51.100.9'), 10)).toHaveLength(1);
  });

  it('does not count events older than the timespan, other groups, or other customers', async () => {
    const { sut } = setup(BRUTE);
    await sut('FORTIGATE', failedLogin('198.51.100.9'), 0);
    await sut('FORTIGATE', failedLogin('198.51.100.9'), 1);
    await sut('FORTIGATE', failedLogin('198.51.100.7'), 2);
    await sut('FORTIGATE', failedLogin('198.51.100.9'), 3, 'c2');
    expect(await sut('FORTIGATE', failedLogin('198.51.100.9'), 12)).toEqual([]);
  });

  it('ignores events without the group-by field and events the detection does not match', async () => {
    const { sut, ctx } = setup(BRUTE);
    for (let k = 0; k < 4; k++) await sut('FORTIGATE', { event: { category: ['authentication'], outcome: 'failure' } }, k);
    for (let k = 0; k < 4; k++) await sut('FORTIGATE', { event: { category: ['authentication'], outcome: 'success' }, source: { ip: '198.51.100.9' } }, k);
    expect(await ctx.store.prune(null, new Date(0))).toBe(0);
    expect(await ctx.store.between(null, { ruleId: 'r1', customerId: 'c1', groupKey: '198.51.100.9' }, at(-60), at(60))).toEqual([]);
  });

  it('prunes entries whose window ended by the clock', async () => {
    const { sut, ctx } = setup(BRUTE);
    await sut('FORTIGATE', failedLogin('198.51.100.9'), 0);
    await sut('FORTIGATE', failedLogin('198.51.100.9'), 5);
    ctx.setClock(at(12));
    expect(await ctx.engine.prune(null)).toBe(1);
    expect(await ctx.store.between(null, { ruleId: 'r1', customerId: 'c1', groupKey: '198.51.100.9' }, at(-60), at(60))).toEqual([{ step: 0, value: null, at: at(5) }]);
  });
});

describe('value_count', () => {
  const LATERAL = `title: One account on many hosts
level: high
logsource: { category: edr }
detection:
  sel: { user.name|exists: true, host.name|exists: true }
  condition: sel
correlation:
  type: value_count
  group-by: [user.name]
  timespan: 1h
  condition: { field: host.name, gte: 3 }
`;
  const on = (user: string, host: string) => ({ user: { name: user }, host: { name: host } });

  it('fires when one group shows the field with enough distinct values', async () => {
    const { sut } = setup(LATERAL);
    expect(await sut('CROWDSTRIKE_FALCON', on('ito', 'pc-1'), 0)).toEqual([]);
    expect(await sut('CROWDSTRIKE_FALCON', on('ITO', 'PC-1'), 1)).toEqual([]);
    expect(await sut('CARBON_BLACK', on('ito', 'pc-2'), 2)).toEqual([]);
    expect(await sut('CYBEREASON', on('ito', 'srv-3'), 3)).toEqual([expect.objectContaining({ correlation: expect.objectContaining({ type: 'value_count', groupKey: 'ito', count: 3 }) })]);
  });
});

describe('temporal_ordered', () => {
  const NX_THEN_AV = `title: NX then antivirus
level: high
logsource: {}
detection: null
correlation:
  type: temporal_ordered
  group-by: [host.ip]
  timespan: 30m
  steps:
    - name: nx
      logsource: { product: fireeye_nx }
      detection: { alert: { event.kind: alert }, condition: alert }
    - name: antivirus
      logsource: { category: antivirus }
      detection: { malware: { event.category: malware }, condition: malware }
`.replace('detection: null\n', '');
  const nx = { event: { kind: 'alert' }, host: { ip: ['10.20.30.41'] } };
  const av = { event: { kind: 'alert', category: ['malware'] }, host: { ip: ['10.20.30.41'] } };

  it('fires when the antivirus alert follows the NX alert on the same host within 30 minutes', async () => {
    const { sut } = setup(NX_THEN_AV);
    expect(await sut('FIREEYE_NX', nx, 0)).toEqual([]);
    expect(await sut('SYMANTEC_SEP', av, 25)).toEqual([expect.objectContaining({ selections: ['antivirus'], correlation: expect.objectContaining({ type: 'temporal_ordered', count: 2, firstAt: at(0) }) })]);
  });

  it.each([
    ['the wrong order', [['SYMANTEC_SEP', av, 0], ['FIREEYE_NX', nx, 5]]],
    ['more than 30 minutes apart', [['FIREEYE_NX', nx, 0], ['SYMANTEC_SEP', av, 31]]],
    ['another host', [['FIREEYE_NX', nx, 0], ['SYMANTEC_SEP', { ...av, host: { ip: ['10.20.30.42'] } }, 5]]],
    ['the antivirus alert from a product that is no antivirus', [['FIREEYE_NX', nx, 0], ['FORTIGATE', av, 5]]],
  ] as const)('does not fire for %s', async (_, events) => {
    const { sut } = setup(NX_THEN_AV);
    const results = [];
    for (const [product, ecs, minutes] of events) results.push(...(await sut(product, ecs, minutes)));
    expect(results).toEqual([]);
  });
});

describe('observeMany (a batch)', () => {
  const count = (gte: number, timespan: string) =>
    RuleSet.compile([{ id: 'r', version: 1, yaml: `title: c\nlevel: low\nlogsource: {}\ndetection: { s: { event.outcome: failure }, condition: s }\ncorrelation: { type: event_count, group-by: [source.ip], timespan: ${timespan}, condition: { gte: ${gte} } }\n` }]).set.rules[0].compiled.rule.correlation!;
  const sequence = RuleSet.compile([
    {
      id: 's',
      version: 1,
      yaml: `title: s\nlevel: high\nlogsource: {}\ncorrelation:\n  type: temporal_ordered\n  group-by: [host.ip]\n  timespan: 15m\n  steps:\n    - { name: a, logsource: {}, detection: { x: { event.kind: alert }, condition: x } }\n    - { name: b, logsource: {}, detection: { x: { event.kind: alert }, condition: x } }\n    - { name: c, logsource: {}, detection: { x: { event.kind: alert }, condition: x } }\n`,
    },
  ]).set.rules[0].compiled.rule.correlation!;
  const distinct = RuleSet.compile([{ id: 'v', version: 1, yaml: `title: v\nlevel: low\nlogsource: {}\ndetection: { s: { event.outcome: success }, condition: s }\ncorrelation: { type: value_count, group-by: [user.name], timespan: 30m, condition: { field: host.name, gte: 3 } }\n` }]).set.rules[0].compiled.rule.correlation!;

  // A seeded stream of observations over a few keys, three kinds of correlation and times out of order.
  function stream(seed: number, n: number) {
    let x = seed;
    // xorshift32: a seeded stream whose draws do not cycle together
    const rnd = (k: number) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % k;
    };
    const rules = [
      { ruleId: 'r5', correlation: count(5, '10m') },
      { ruleId: 'r2', correlation: count(2, '1m') },
      { ruleId: 'v3', correlation: distinct },
      { ruleId: 's3', correlation: sequence },
    ];
    return Array.from({ length: n }, () => {
      const r = rules[rnd(4)];
      const value = r.correlation.type === 'value_count' ? (rnd(5) === 0 ? null : `host-${rnd(4)}`) : null;
      // a sequence event matches one step, sometimes two, sometimes none
      const steps = r.correlation.type === 'temporal_ordered' ? [...new Set([rnd(3), rnd(4)])].filter((k) => k < 3) : undefined;
      return { ...r, customerId: `c${rnd(2)}`, groupKey: `k${rnd(3)}`, at: at(rnd(40) - 10 + rnd(3) / 10), value, steps };
    });
  }

  it.each([1, 2, 3, 4, 5])('gives every observation of a batch the outcome observe() gives it one after another (seed %i)', async (seed) => {
    const observations = stream(seed, 400);
    const one = new CorrelationEngine(new MemoryCorrelationStore(), () => T0);
    const expected: CorrelationOutcome[] = [];
    for (const o of observations) expected.push(await one.observe(null, o));
    const many = new CorrelationEngine(new MemoryCorrelationStore(), () => T0);
    const got: CorrelationOutcome[] = [];
    // batches of uneven sizes, so windows span batches too
    for (let i = 0, size = 1; i < observations.length; i += size, size = (size * 7) % 97 || 1) got.push(...(await many.observeMany(null, observations.slice(i, i + size))));
    expect(got).toEqual(expected);
    expect(expected.filter((o) => o.fired).length).toBeGreaterThan(20);
    // every kind fired somewhere in the stream
    expect(new Set(observations.filter((_, k) => expected[k].fired).map((o) => o.ruleId))).toEqual(new Set(['r5', 'r2', 'v3', 's3']));
  });
});
