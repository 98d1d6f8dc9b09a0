// Field names a rule may use: ECS dotted paths (what ingestion's parsers emit), or Sigma's
// Windows/process names, each mapped to one ECS path. docs/analysis.md shows the same table.
export const SIGMA_FIELD_MAP: Readonly<Record<string, string>> = {
  Image: 'process.executable',
  OriginalFileName: 'process.pe.original_file_name',
  CommandLine: 'process.command_line',
  ProcessId: 'process.pid',
  ProcessGuid: 'process.entity_id',
  CurrentDirectory: 'process.working_directory',
  IntegrityLevel: 'process.token.integrity_level_name',
  ParentImage: 'process.parent.executable',
  ParentCommandLine: 'process.parent.command_line',
  ParentProcessId: 'process.parent.pid',
  ParentProcessGuid: 'process.parent.entity_id',
  User: 'user.name',
  SubjectUserName: 'user.name',
  TargetUserName: 'user.target.name',
  LogonType: 'winlog.logon.type',
  Computer: 'host.name',
  ComputerName: 'host.name',
  Workstation: 'source.domain',
  TargetFilename: 'file.path',
  TargetObject: 'registry.path',
  Details: 'registry.data.strings',
  Hashes: 'file.hash.*',
  md5: 'file.hash.md5',
  sha1: 'file.hash.sha1',
  sha256: 'file.hash.sha256',
  DestinationIp: 'destination.ip',
  DestinationPort: 'destination.port',
  DestinationHostname: 'destination.domain',
  SourceIp: 'source.ip',
  SourcePort: 'source.port',
  SourceHostname: 'source.domain',
  Protocol: 'network.transport',
  Initiated: 'network.direction',
  QueryName: 'dns.question.name',
  EventID: 'event.code',
  Provider_Name: 'event.provider',
  ServiceName: 'service.name',
  ImageLoaded: 'file.path',
  Signature: 'rule.name',
  Product: 'observer.product',
  Company: 'process.pe.company',
  Description: 'process.pe.description',
  'c-uri': 'url.original',
  'cs-host': 'url.domain',
  'cs-method': 'http.request.method',
  'c-useragent': 'user_agent.original',
  'sc-status': 'http.response.status_code',
};

// First segments of the ECS paths a rule may name: ECS field sets, the vendor namespaces the
// parsers fill, and Kanshi's own. A lower-case dotted name under one of these is accepted as is.
export const ECS_NAMESPACES: ReadonlySet<string> = new Set([
  'agent', 'client', 'cloud', 'container', 'destination', 'dns', 'email', 'error', 'event', 'file', 'group', 'host', 'http', 'log', 'network',
  'observer', 'organization', 'package', 'process', 'registry', 'related', 'rule', 'server', 'service', 'source', 'threat', 'tls', 'url', 'user',
  'user_agent', 'vulnerability', 'winlog', 'kanshi',
  'carbon_black', 'cef', 'crowdstrike', 'cybereason', 'fireeye', 'fortinet', 'leef', 'panw', 'symantec', 'trendmicro', 'imperva',
]);
// ECS fields at the top level of the document.
const TOP_LEVEL = new Set(['@timestamp', 'message', 'tags', 'labels']);

const PATH = /^[a-z0-9_@][a-z0-9_]*(\.[a-z0-9_*]+)*$/i;

/** The ECS path `written` stands for, or null when analysis does not know the field. */
export function ecsFieldOf(written: string): string | null {
  const mapped = SIGMA_FIELD_MAP[written];
  if (mapped) return mapped;
  if (TOP_LEVEL.has(written)) return written;
  if (!PATH.test(written)) return null;
  const dot = written.indexOf('.');
  if (dot < 0) return null;
  return ECS_NAMESPACES.has(written.slice(0, dot)) ? written : null;
}

/**
 * Whether any value at the dotted path satisfies `pred` (arrays fan out, `*` takes every key),
 * without building a list: the hot path of every rule.
 */
export function anyValueAt(doc: unknown, path: FieldPath, pred: (v: unknown) => boolean): boolean {
  return anyFrom(doc, path, 0, pred);
}

/** A dotted path split once, with the dotted rest from each position (for flat documents). */
export interface FieldPath {
  segments: readonly string[];
  rests: readonly string[];
}

export function fieldPath(dotted: string): FieldPath {
  const segments = dotted.split('.').map(internalized);
  return { segments, rests: segments.map((_, i) => internalized(segments.slice(i).join('.'))) };
}

// The engine's own copy of a property-name string: a key built by split() or join() would be
// looked up in the string table on every property access, the most frequent operation of a rule.
function internalized(key: string): string {
  return Object.keys({ [key]: true })[0];
}

function anyFrom(node: unknown, path: FieldPath, i: number, pred: (v: unknown) => boolean): boolean {
  if (node === undefined) return false;
  if (Array.isArray(node)) {
    for (const el of node) if (anyFrom(el, path, i, pred)) return true;
    return false;
  }
  const segs = path.segments;
  if (i === segs.length) return pred(node);
  if (typeof node !== 'object' || node === null) return false;
  const obj = node as Record<string, unknown>;
  const key = segs[i];
  if (key === '*') {
    for (const k in obj) if (anyFrom(obj[k], path, i + 1, pred)) return true;
    return false;
  }
  const next = obj[key];
  if (next !== undefined) return anyFrom(next, path, i + 1, pred);
  // A flat document may hold the rest of the path as one dotted key ("file.hash" -> {"sha256"}).
  if (i < segs.length - 1) {
    const flat = obj[path.rests[i]];
    if (flat !== undefined) return anyFrom(flat, path, segs.length, pred);
  }
  return false;
}

/**
 * The values at a dotted path of a nested ECS document: arrays fan out (any element may match),
 * `*` as a segment takes every key of an object (file.hash.* is every hash).
 */
export function valuesAt(doc: unknown, segments: readonly string[]): unknown[] {
  const out: unknown[] = [];
  collect(doc, segments, 0, out);
  return out;
}

function collect(node: unknown, segments: readonly string[], i: number, out: unknown[]): void {
  if (node === undefined) return;
  if (Array.isArray(node)) {
    for (const el of node) collect(el, segments, i, out);
    return;
  }
  if (i === segments.length) {
    out.push(node);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Record<string, unknown>;
  const key = segments[i];
  if (key === '*') {
    for (const v of Object.values(obj)) collect(v, segments, i + 1, out);
    return;
  }
  if (key in obj) collect(obj[key], segments, i + 1, out);
  else if (i < segments.length - 1) {
    // A flat document may hold the rest of the path as one dotted key ("file.hash" -> {"sha256"}).
    const rest = segments.slice(i).join('.');
    if (rest in obj) collect(obj[rest], segments, segments.length, out);
  }
}
