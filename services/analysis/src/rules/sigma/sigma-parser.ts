// Reads a Sigma rule (YAML) into a SigmaRule, or throws RuleError INVALID_RULE whose message starts
// with the line and column of what is wrong. Nothing here touches the database or Nest.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { SENSOR_PRODUCTS, type SensorProductCode } from '@kanshi/events';
import { RuleError } from '../rules.errors';
import { ConditionSyntaxError, parseCondition } from './sigma-condition';
import { ecsFieldOf } from './sigma-fields';
import { productsOf } from './sigma-logsource';
import {
  CORRELATION_TYPES,
  SIGMA_LEVELS,
  SIGMA_MODIFIERS,
  SIGMA_STATUSES,
  type CorrelationStep,
  type CorrelationType,
  type FieldSpec,
  type KanshiTexts,
  type LocalizedText,
  type LogSource,
  type Selection,
  type SigmaCorrelation,
  type SigmaDetection,
  type SigmaLevel,
  type SigmaModifier,
  type SigmaRule,
  type SigmaScalar,
  type SigmaStatus,
  type SigmaTestCase,
  type SigmaTestEvent,
} from './sigma-rule';
import { compileField, FieldSpecError } from './sigma-values';

// The longest rule text accepted (a rule with its test events stays well under it).
export const MAX_RULE_BYTES = 256 * 1024;
const MAX_TIMESPAN_MS = 7 * 24 * 3600_000;
const DURATION = /^([0-9]+)([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

class Reader {
  constructor(private readonly lines: LineCounter) {}

  at(node: Node | Pair | null | undefined, offset = 0): string {
    const start = node && 'range' in node && node.range ? node.range[0] : node && 'key' in node && isScalarNode(node.key) && node.key.range ? node.key.range[0] : 0;
    const { line, col } = this.lines.linePos(start + offset);
    return `${line}:${col}`;
  }

  fail(node: Node | Pair | null | undefined, what: string, offset = 0): never {
    throw new RuleError('INVALID_RULE', `${this.at(node, offset)} ${what}`, 'yaml');
  }
}

function isScalarNode(n: unknown): n is Scalar {
  return isScalar(n);
}

function get(map: YAMLMap, key: string): Node | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.value ?? undefined) as Node | undefined;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

export function parseSigmaRule(text: string): SigmaRule {
  if (typeof text !== 'string' || !text.trim()) throw new RuleError('INVALID_RULE', '1:1 the rule is empty', 'yaml');
  if (Buffer.byteLength(text, 'utf8') > MAX_RULE_BYTES) throw new RuleError('INVALID_RULE', `1:1 the rule is longer than ${MAX_RULE_BYTES} bytes`, 'yaml');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  const r: Reader = new Reader(lines);
  if (doc.errors.length) {
    const e = doc.errors[0];
    const { line, col } = lines.linePos(e.pos[0]);
    throw new RuleError('INVALID_RULE', `${line}:${col} YAML: ${e.message.split('\n')[0]}`, 'yaml');
  }
  const root = doc.contents;
  if (!isMap(root)) r.fail(root as Node | null, 'a rule is a YAML map (title, logsource, detection, ...)');

  const title = requiredString(r, root, 'title', 256);
  const id = optionalString(r, root, 'id', 128) ?? null;
  const status = oneOf(r, root, 'status', SIGMA_STATUSES, false) as SigmaStatus | undefined;
  const description = optionalString(r, root, 'description', 5000) ?? '';
  const level = oneOf(r, root, 'level', SIGMA_LEVELS, true) as SigmaLevel;
  const tags = stringList(r, root, 'tags');
  const attackTechniques = [...new Set(tags.map((t) => /^attack\.(t[0-9]{4}(\.[0-9]{3})?)$/i.exec(t)?.[1].toUpperCase()).filter((t): t is string => !!t))];

  const { logsource, products } = readLogSource(r, root, get(root, 'logsource'), true);
  const correlationNode = get(root, 'correlation');
  const detectionNode = get(root, 'detection');
  let detection: SigmaDetection | null = null;
  let correlation: SigmaCorrelation | null = null;
  let ruleProducts = products;
  if (correlationNode !== undefined) {
    correlation = readCorrelation(r, correlationNode, detectionNode !== undefined);
    if (correlation.steps) {
      if (detectionNode !== undefined) r.fail(pairOf(root, 'detection'), 'a temporal_ordered rule has its detections in correlation.steps, not in detection');
      ruleProducts = SENSOR_PRODUCTS.filter((p) => correlation!.steps!.some((s) => s.products.includes(p)));
    }
  }
  if (!correlation?.steps) {
    if (detectionNode === undefined) r.fail(root, 'the rule has no detection');
    detection = readDetection(r, detectionNode);
  }

  return {
    title,
    id,
    status: status ?? null,
    description,
    level,
    tags,
    attackTechniques,
    logsource,
    products: ruleProducts,
    detection,
    correlation,
    kanshi: readKanshi(r, get(root, 'kanshi')),
    tests: readTests(r, get(root, 'tests'), ruleProducts),
  };
}

function scalarString(r: Reader, node: Node | undefined, what: string, max: number): string {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.value.trim()) r.fail(node, `${what} must be a non-empty string`);
  const v = node.value as string;
  if (v.length > max) r.fail(node, `${what} is longer than ${max} characters`);
  return v;
}

function requiredString(r: Reader, map: YAMLMap, key: string, max: number): string {
  const node = get(map, key);
  if (node === undefined) r.fail(map, `the rule has no ${key}`);
  return scalarString(r, node, key, max);
}

function optionalString(r: Reader, map: YAMLMap, key: string, max: number): string | undefined {
  const node = get(map, key);
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  if (isScalar(node) && (typeof node.value === 'number' || node.value instanceof Date)) return String(node.value);
  return scalarString(r, node, key, max);
}

function oneOf(r: Reader, map: YAMLMap, key: string, allowed: readonly string[], required: boolean): string | undefined {
  const node = get(map, key);
  if (node === undefined) {
    if (required) r.fail(map, `the rule has no ${key} (one of ${allowed.join(', ')})`);
    return undefined;
  }
  if (!isScalar(node) || typeof node.value !== 'string' || !allowed.includes(node.value)) r.fail(node, `${key} must be one of ${allowed.join(', ')}`);
  return node.value as string;
}

function stringList(r: Reader, map: YAMLMap, key: string): string[] {
  const node = get(map, key);
  if (node === undefined) return [];
  if (!isSeq(node)) r.fail(node, `${key} must be a list of strings`);
  return node.items.map((item) => scalarString(r, item as Node, `each of ${key}`, 200));
}

function readLogSource(r: Reader, parent: YAMLMap, node: Node | undefined, required: boolean): { logsource: LogSource; products: SensorProductCode[] } {
  if (node === undefined) {
    if (required) r.fail(parent, 'the rule has no logsource');
    return { logsource: {}, products: [...SENSOR_PRODUCTS] };
  }
  if (!isMap(node)) r.fail(node, 'logsource must be a map of product, category, service');
  const logsource: LogSource = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const v = optionalString(r, node, key, 100);
    if (v !== undefined) logsource[key] = v;
  }
  const mapped = productsOf(logsource.product, logsource.category);
  if (!mapped.ok) {
    const at = mapped.what === 'category' ? get(node, 'category') : mapped.what === 'product' ? get(node, 'product') : node;
    const what =
      mapped.what === 'both'
        ? `logsource product "${logsource.product}" and category "${logsource.category}" share no Kanshi product`
        : `logsource ${mapped.what} "${logsource[mapped.what]}" maps to no Kanshi product (see docs/analysis.md)`;
    r.fail(at, what);
  }
  return { logsource, products: mapped.products };
}

function readDetection(r: Reader, node: Node | undefined): SigmaDetection {
  if (!isMap(node)) r.fail(node, 'detection must be a map of selections and a condition');
  const selections: Selection[] = [];
  let conditionNode: Node | undefined;
  for (const pair of node.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string') r.fail(pair.key as Node, 'a selection name must be a string');
    const name = pair.key.value;
    const value = pair.value as Node | undefined;
    if (name === 'condition') conditionNode = value;
    else if (name === 'timeframe') r.fail(pair.key as Node, 'detection.timeframe is not supported: use correlation.timespan (see docs/analysis.md)');
    else selections.push(readSelection(r, name, value, pair.key as Node));
  }
  if (conditionNode === undefined) r.fail(node, 'detection has no condition');
  if (!selections.length) r.fail(node, 'detection has no selection');
  if (!isScalar(conditionNode) || typeof conditionNode.value !== 'string') r.fail(conditionNode, 'condition must be one string, e.g. "selection and not filter"');
  try {
    return { selections, condition: parseCondition(conditionNode.value as string, selections.map((s) => s.name)) };
  } catch (e) {
    if (!(e instanceof ConditionSyntaxError)) throw e;
    const quoted = conditionNode.type === 'QUOTE_DOUBLE' || conditionNode.type === 'QUOTE_SINGLE' ? 1 : 0;
    const inline = conditionNode.type === 'PLAIN' || quoted ? e.offset + quoted : 0;
    r.fail(conditionNode, e.message, inline);
  }
}

function readSelection(r: Reader, name: string, node: Node | undefined, keyNode: Node): Selection {
  if (isMap(node)) return { name, anyOf: [readFieldMap(r, node)] };
  if (isSeq(node) && node.items.length) {
    if (node.items.every((i) => isMap(i))) return { name, anyOf: node.items.map((i) => readFieldMap(r, i as YAMLMap)) };
    r.fail(node, `selection ${name}: keyword lists are not supported; name the field, e.g. message|contains`);
  }
  r.fail(node ?? keyNode, `selection ${name} must be a map of fields, or a list of such maps`);
}

function readFieldMap(r: Reader, map: YAMLMap): FieldSpec[] {
  if (!map.items.length) r.fail(map, 'a selection map must name at least one field');
  return map.items.map((pair) => {
    const keyNode = pair.key as Node;
    if (!isScalar(keyNode) || typeof keyNode.value !== 'string') r.fail(keyNode, 'a field name must be a string');
    const [written, ...mods] = (keyNode.value as string).split('|');
    const field = ecsFieldOf(written);
    if (!field) r.fail(keyNode, `unknown field "${written}": use an ECS path (process.command_line) or a Sigma field from docs/analysis.md`);
    let offset = written.length + 1;
    for (const m of mods) {
      if (!(SIGMA_MODIFIERS as readonly string[]).includes(m)) r.fail(keyNode, `unknown modifier "${m}" (known: ${SIGMA_MODIFIERS.join(', ')})`, keyNode.type === 'PLAIN' ? offset : 0);
      offset += m.length + 1;
    }
    const valueNode = pair.value as Node | null;
    const spec: FieldSpec = { written, field, modifiers: mods as SigmaModifier[], values: readValues(r, valueNode), at: r.at(keyNode) };
    try {
      compileField(spec);
    } catch (e) {
      if (!(e instanceof FieldSpecError)) throw e;
      r.fail(valueNode ?? keyNode, `${written}: ${e.message}`);
    }
    return spec;
  });
}

function readValues(r: Reader, node: Node | null): SigmaScalar[] {
  const one = (n: Node | null): SigmaScalar => {
    if (n === null) return null;
    if (!isScalar(n)) r.fail(n, 'a field value must be a string, number, boolean or null (a list of them means any)');
    const v = n.value;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return Number(v);
    return String(v as string);
  };
  if (isSeq(node)) {
    if (!node.items.length) r.fail(node, 'an empty list of values never matches');
    return node.items.map((i) => one(i as Node | null));
  }
  return [one(node)];
}

function durationMs(r: Reader, node: Node | undefined, what: string): number {
  if (!isScalar(node) || typeof node.value !== 'string') r.fail(node, `${what} must be a duration like 30s, 10m, 2h, 1d`);
  const m = DURATION.exec((node.value as string).trim());
  if (!m) r.fail(node, `${what} must be a duration like 30s, 10m, 2h, 1d`);
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  if (ms <= 0 || ms > MAX_TIMESPAN_MS) r.fail(node, `${what} must be between 1s and 7d`);
  return ms;
}

function readCorrelation(r: Reader, node: Node, hasDetection: boolean): SigmaCorrelation {
  if (!isMap(node)) r.fail(node, 'correlation must be a map (type, group-by, timespan, condition)');
  const type = oneOf(r, node, 'type', CORRELATION_TYPES, true) as CorrelationType;
  const groupNode = get(node, 'group-by');
  if (groupNode === undefined) r.fail(node, 'correlation has no group-by (the fields that must be equal, e.g. [host.name])');
  const groupItems = isSeq(groupNode) ? (groupNode.items as Node[]) : [groupNode];
  if (!groupItems.length) r.fail(groupNode, 'correlation.group-by names no field');
  const groupBy = groupItems.map((g) => {
    const written = scalarString(r, g, 'a group-by field', 200);
    const field = ecsFieldOf(written);
    if (!field || field.includes('*')) r.fail(g, `unknown group-by field "${written}"`);
    return field;
  });
  const timespanMs = durationMs(r, get(node, 'timespan'), 'correlation.timespan');
  const condition = get(node, 'condition');
  let gte = 1;
  let field: string | undefined;
  if (type !== 'temporal_ordered') {
    if (!hasDetection) r.fail(node, `an ${type} rule counts the events its detection matches: the rule needs a detection`);
    if (!isMap(condition)) r.fail(condition ?? node, 'correlation.condition must be a map like { gte: 5 }');
    const gteNode = get(condition, 'gte');
    const gtNode = get(condition, 'gt');
    const n = gteNode ?? gtNode;
    if (!isScalar(n) || typeof n.value !== 'number' || !Number.isInteger(n.value) || n.value < 1) r.fail(n ?? condition, 'correlation.condition needs gte (or gt): a whole number of at least 1');
    gte = (n.value as number) + (gteNode ? 0 : 1);
    if (type === 'value_count') {
      const f = get(condition, 'field');
      const written = scalarString(r, f, 'correlation.condition.field (the field whose distinct values are counted)', 200);
      field = ecsFieldOf(written) ?? r.fail(f, `unknown field "${written}"`);
    }
  }
  const out: SigmaCorrelation = { type, groupBy, timespanMs, gte, ...(field ? { field } : {}) };
  if (type === 'temporal_ordered') {
    const stepsNode = get(node, 'steps');
    if (!isSeq(stepsNode) || stepsNode.items.length < 2) r.fail(stepsNode ?? node, 'a temporal_ordered correlation needs steps: a list of at least 2 { name, logsource, detection }');
    out.steps = stepsNode.items.map((s, k): CorrelationStep => {
      if (!isMap(s)) r.fail(s as Node, 'a step is a map of name, logsource, detection');
      const name = optionalString(r, s, 'name', 100) ?? `step${k + 1}`;
      const { products } = readLogSource(r, s, get(s, 'logsource'), false);
      const detectionNode = get(s, 'detection');
      if (detectionNode === undefined) r.fail(s, `step ${name} has no detection`);
      return { name, products, detection: readDetection(r, detectionNode) };
    });
    out.gte = out.steps.length;
  }
  return out;
}

function localized(r: Reader, node: Node | undefined, what: string): LocalizedText {
  if (!isMap(node)) r.fail(node, `${what} must be a map with en and ja texts`);
  return { en: scalarString(r, get(node, 'en'), `${what}.en`, 2000), ja: scalarString(r, get(node, 'ja'), `${what}.ja`, 2000) };
}

function readKanshi(r: Reader, node: Node | undefined): KanshiTexts | null {
  if (node === undefined) return null;
  if (!isMap(node)) r.fail(node, 'kanshi must be a map (reason, actions, blocked_means, isolate)');
  const actionsNode = get(node, 'actions');
  if (actionsNode !== undefined && !isSeq(actionsNode)) r.fail(actionsNode, 'kanshi.actions must be a list of { en, ja }');
  const isolateNode = get(node, 'isolate');
  if (isolateNode !== undefined && (!isScalar(isolateNode) || typeof isolateNode.value !== 'boolean')) r.fail(isolateNode, 'kanshi.isolate must be true or false');
  const blocked = get(node, 'blocked_means');
  return {
    reason: localized(r, get(node, 'reason'), 'kanshi.reason'),
    actions: actionsNode ? (actionsNode as { items: Node[] }).items.map((a) => localized(r, a, 'each of kanshi.actions')) : [],
    ...(blocked !== undefined ? { blockedMeans: localized(r, blocked, 'kanshi.blocked_means') } : {}),
    isolate: isolateNode ? (isolateNode as Scalar).value === true : false,
  };
}

function readTests(r: Reader, node: Node | undefined, products: SensorProductCode[]): { match: SigmaTestCase[]; noMatch: SigmaTestCase[] } {
  if (node === undefined) return { match: [], noMatch: [] };
  if (!isMap(node)) r.fail(node, 'tests must be a map of match and no_match lists');
  const cases = (key: string): SigmaTestCase[] => {
    const list = get(node, key);
    if (list === undefined) return [];
    if (!isSeq(list)) r.fail(list, `tests.${key} must be a list`);
    return list.items.map((item) => {
      const n = item as Node;
      const seq = isMap(n) ? get(n, 'sequence') : undefined;
      const events = seq !== undefined ? (isSeq(seq) ? (seq.items as Node[]) : r.fail(seq, 'tests sequence must be a list of events')) : [n];
      return { at: r.at(n), events: events.map((e, k) => testEvent(r, e, k, products)) };
    });
  };
  return { match: cases('match'), noMatch: cases('no_match') };
}

function testEvent(r: Reader, node: Node, index: number, products: SensorProductCode[]): SigmaTestEvent {
  if (!isMap(node)) r.fail(node, 'a test event is an ECS map, or { product, after, ecs }');
  const ecsNode = get(node, 'ecs');
  if (ecsNode === undefined) return { product: products[0], offsetMs: index * 60_000, ecs: node.toJSON() as Record<string, unknown> };
  if (!isMap(ecsNode)) r.fail(ecsNode, 'a test event ecs must be a map');
  const productNode = get(node, 'product');
  let product = products[0];
  if (productNode !== undefined) {
    const p = scalarString(r, productNode, 'a test event product', 40);
    if (!(SENSOR_PRODUCTS as readonly string[]).includes(p)) r.fail(productNode, `unknown product "${p}" (one of ${SENSOR_PRODUCTS.join(', ')})`);
    product = p as SensorProductCode;
  }
  const after = get(node, 'after');
  return { product, offsetMs: after === undefined ? index * 60_000 : durationOffset(r, after), ecs: ecsNode.toJSON() as Record<string, unknown> };
}

function durationOffset(r: Reader, node: Node): number {
  const m = isScalar(node) ? DURATION.exec(String(node.value).trim()) : null;
  if (!m) r.fail(node, 'a test event "after" must be a duration like 0s, 5m, 2h');
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  if (ms > MAX_TIMESPAN_MS) r.fail(node, 'a test event "after" must be at most 7d');
  return ms;
}
