// A Sigma rule as analysis keeps it after parsing: metadata, detection and Kanshi's extensions.
import type { SensorProductCode } from '@kanshi/events';

export const SIGMA_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof SIGMA_LEVELS)[number];

export const SIGMA_STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export type SigmaStatus = (typeof SIGMA_STATUSES)[number];

// Value modifiers analysis understands (Sigma's plus `cased`, `exists` and the comparisons).
export const SIGMA_MODIFIERS = ['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'cidr', 'base64', 'base64offset', 'wide', 'utf16le', 'cased', 'exists', 'lt', 'lte', 'gt', 'gte'] as const;
export type SigmaModifier = (typeof SIGMA_MODIFIERS)[number];

export type SigmaScalar = string | number | boolean | null;

/** One `field|modifiers: values` item of a selection. */
export interface FieldSpec {
  /** The field as written in the rule (a Sigma name like `Image` or an ECS path). */
  written: string;
  /** The ECS dotted path the item reads. */
  field: string;
  modifiers: SigmaModifier[];
  /** The values (a list means any of them, or all of them with `|all`). */
  values: SigmaScalar[];
  /** "<line>:<column>" of the item, for errors found when compiling. */
  at: string;
}

/** A named search: a map (every field matches) or a list of maps (any map matches). */
export interface Selection {
  name: string;
  /** Alternatives (OR) of conjunctions (AND) of field items. */
  anyOf: FieldSpec[][];
}

export type ConditionNode =
  | { op: 'ref'; name: string }
  | { op: 'and' | 'or'; args: ConditionNode[] }
  | { op: 'not'; arg: ConditionNode }
  | { op: 'of'; quantity: number | 'all'; names: string[] };

export interface SigmaDetection {
  selections: Selection[];
  condition: ConditionNode;
}

export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
}

export interface LocalizedText {
  en: string;
  ja: string;
}

/** Kanshi's texts for a verdict (the rule's `kanshi:` key). */
export interface KanshiTexts {
  reason: LocalizedText;
  actions: LocalizedText[];
  /** What it means when the sensor blocked it (prevented); otherwise the reason stands. */
  blockedMeans?: LocalizedText;
  /** Whether the rule recommends isolating the endpoints involved. */
  isolate: boolean;
}

export const CORRELATION_TYPES = ['event_count', 'value_count', 'temporal_ordered'] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

/** One step of an ordered sequence: its own logsource and detection. */
export interface CorrelationStep {
  name: string;
  products: SensorProductCode[];
  detection: SigmaDetection;
}

export interface SigmaCorrelation {
  type: CorrelationType;
  /** ECS fields whose values make the group key (e.g. host.name). */
  groupBy: string[];
  timespanMs: number;
  /** Count (events, or distinct values of `field`) that fires the rule. */
  gte: number;
  /** value_count: the field whose distinct values are counted. */
  field?: string;
  /** temporal_ordered: the steps in order. */
  steps?: CorrelationStep[];
}

/** One test event: an ECS document from a product, at an offset from the test's start. */
export interface SigmaTestEvent {
  product: SensorProductCode;
  offsetMs: number;
  ecs: Record<string, unknown>;
}

/** A test case: one event, or a sequence for a correlation; its last event is the one judged. */
export interface SigmaTestCase {
  events: SigmaTestEvent[];
  /** "<line>:<column>" of the case in the YAML. */
  at: string;
}

export interface SigmaTestEvents {
  match: SigmaTestCase[];
  noMatch: SigmaTestCase[];
}

export interface SigmaRule {
  title: string;
  /** The rule's own `id` (a UUID in Sigma); null when the YAML has none. */
  id: string | null;
  status: SigmaStatus | null;
  description: string;
  level: SigmaLevel;
  tags: string[];
  /** ATT&CK technique ids from `attack.tNNNN[.NNN]` tags, upper-case (T1059.001). */
  attackTechniques: string[];
  logsource: LogSource;
  /** The Kanshi products the logsource maps to (every product when the logsource names none). */
  products: SensorProductCode[];
  /** Absent for temporal_ordered rules: their steps carry the detections. */
  detection: SigmaDetection | null;
  correlation: SigmaCorrelation | null;
  kanshi: KanshiTexts | null;
  tests: SigmaTestEvents;
}
