// Suppression conditions: what they may say, how they are checked when saved, and how they match
// an alert (compiled once when the rules load: matching runs for every alert).
import { normalizeIpIndicator, parseIp } from '../iocs/ioc-values';

export const SUPPRESSION_OPERATORS = ['equals', 'contains', 'cidr', 'in'] as const;
export type SuppressionOperator = (typeof SUPPRESSION_OPERATORS)[number];

// One condition: a field and exactly one operator. `product` and `ruleName` are the alert's own;
// any other field is a dotted ECS path (host.name, source.ip, event.action, ...).
export interface SuppressionCondition {
  field: string;
  equals?: string | null;
  contains?: string | null;
  cidr?: string | null;
  in?: string[] | null;
}

// What a suppression is checked against.
export interface SuppressibleAlert {
  product: string;
  ruleName: string | null;
  ecs: Record<string, unknown>;
}

export const MAX_CONDITIONS = 20;
export const MAX_IN_VALUES = 1000;
const FIELD = /^[A-Za-z0-9_@-]+(\.[A-Za-z0-9_@-]+)*$/;

export interface ConditionProblem {
  field: string;
  message: string;
}

// The first thing wrong with the conditions, naming where (match[1].cidr), or null.
export function conditionProblem(conditions: SuppressionCondition[]): ConditionProblem | null {
  if (!conditions.length) return { field: 'match', message: 'match must hold at least one condition' };
  if (conditions.length > MAX_CONDITIONS) return { field: 'match', message: `match may hold at most ${MAX_CONDITIONS} conditions` };
  for (const [i, c] of conditions.entries()) {
    const at = `match[${i}]`;
    if (typeof c.field !== 'string' || !FIELD.test(c.field) || c.field.length > 200) {
      return { field: `${at}.field`, message: `${at}.field must be product, ruleName or a dotted ECS field name such as host.name` };
    }
    const ops = SUPPRESSION_OPERATORS.filter((op) => c[op] !== undefined && c[op] !== null);
    if (ops.length !== 1) return { field: at, message: `${at} must give exactly one of ${SUPPRESSION_OPERATORS.join(', ')}` };
    const op = ops[0];
    if (op === 'equals' || op === 'contains') {
      if (c[op] === '') return { field: `${at}.${op}`, message: `${at}.${op} must not be empty` };
    } else if (op === 'in') {
      if (!c.in!.length || c.in!.length > MAX_IN_VALUES) return { field: `${at}.in`, message: `${at}.in must list 1-${MAX_IN_VALUES} values` };
    } else {
      const problem = cidrOf(c.cidr!);
      if (typeof problem === 'string') return { field: `${at}.cidr`, message: `${at}.cidr: ${problem}` };
    }
  }
  return null;
}

type Net = { family: 4 | 6; network: bigint; prefix: number };

// An address or a network in CIDR notation, or why it is not one.
function cidrOf(text: string): Net | string {
  const t = text.trim();
  const type = t.includes(':') ? 'IPV6' : 'IPV4';
  const n = normalizeIpIndicator(type, t);
  if (!n.ok) return n.reason;
  if (n.cidr) return n.cidr;
  const ip = parseIp(n.value)!;
  return { family: ip.family, network: ip.n, prefix: ip.family === 4 ? 32 : 128 };
}

type Obj = Record<string, unknown>;

function scalarsOf(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (typeof node === 'number' || typeof node === 'boolean') return [String(node)];
  if (Array.isArray(node)) return node.flatMap((v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [String(v)] : []));
  return [];
}

// The values of a field: the alert's product or rule name, or an ECS path (nested, or a flat
// "a.b.c" key).
function valuesAt(alert: SuppressibleAlert, field: string, keys: string[]): string[] {
  if (field === 'product') return [alert.product];
  if (field === 'ruleName') return alert.ruleName === null ? [] : [alert.ruleName];
  let node: unknown = alert.ecs;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      node = undefined;
      break;
    }
    node = Object.prototype.hasOwnProperty.call(node, key) ? (node as Obj)[key] : undefined;
  }
  if (node === undefined && Object.prototype.hasOwnProperty.call(alert.ecs, field)) node = alert.ecs[field];
  return scalarsOf(node);
}

export type CompiledCondition = (alert: SuppressibleAlert) => boolean;

// Text comparisons ignore case (host names, rule names and actions arrive in every casing);
// a field with several values matches when one does; a missing field never matches.
export function compileCondition(c: SuppressionCondition): CompiledCondition {
  const keys = c.field.split('.');
  const values = (a: SuppressibleAlert) => valuesAt(a, c.field, keys);
  if (c.equals !== undefined && c.equals !== null) {
    const want = c.equals.toLowerCase();
    return (a) => values(a).some((v) => v.toLowerCase() === want);
  }
  if (c.contains !== undefined && c.contains !== null) {
    const want = c.contains.toLowerCase();
    return (a) => values(a).some((v) => v.toLowerCase().includes(want));
  }
  if (c.in !== undefined && c.in !== null) {
    const want = new Set(c.in.map((v) => v.toLowerCase()));
    return (a) => values(a).some((v) => want.has(v.toLowerCase()));
  }
  const net = cidrOf(c.cidr ?? '');
  if (typeof net === 'string') return () => false;
  const shift = BigInt((net.family === 4 ? 32 : 128) - net.prefix);
  return (a) =>
    values(a).some((v) => {
      const ip = parseIp(v);
      return ip !== null && ip.family === net.family && ip.n >> shift === net.network >> shift;
    });
}

// Every condition must hold.
export function compileConditions(conditions: SuppressionCondition[]): CompiledCondition {
  const compiled = conditions.map(compileCondition);
  return (a) => compiled.every((m) => m(a));
}
