import { SensorProductCode } from '@kanshi/events';

type Obj = Record<string, unknown>;

// The values at a dotted path of a nested ECS document (a flat "a.b.c" key is read too).
export function ecsValues(ecs: Obj, path: string): unknown[] {
  let node: unknown = ecs;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      node = undefined;
      break;
    }
    node = Object.prototype.hasOwnProperty.call(node, key) ? (node as Obj)[key] : undefined;
  }
  if (node === undefined && Object.prototype.hasOwnProperty.call(ecs, path)) node = ecs[path];
  if (node === undefined || node === null) return [];
  return Array.isArray(node) ? node : [node];
}

export function ecsStrings(ecs: Obj, path: string): string[] {
  return ecsValues(ecs, path).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

export function ecsString(ecs: Obj, path: string): string | null {
  return ecsStrings(ecs, path)[0] ?? null;
}

const HASH_FIELDS = ['sha256', 'sha1', 'md5'].flatMap((a) => [`file.hash.${a}`, `process.hash.${a}`]);
const HASH = /^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/;

// The sample's hashes worth a reputation lookup, strongest first (SHA-256, SHA-1, MD5), the
// file's before the process's; at most one of each value.
export function sampleHashes(ecs: Obj): string[] {
  const out: string[] = [];
  for (const f of HASH_FIELDS)
    for (const h of ecsStrings(ecs, f)) {
      const v = h.toLowerCase();
      if (HASH.test(v) && !out.includes(v)) out.push(v);
    }
  return out;
}

// A file or process is on an endpoint: something to remove even if the sensor blocked it.
export function remainsOnEndpoint(ecs: Obj): boolean {
  return ['file.hash.sha256', 'file.hash.sha1', 'file.hash.md5', 'process.hash.sha256', 'process.hash.md5', 'file.path', 'file.name', 'process.executable'].some(
    (f) => ecsStrings(ecs, f).length > 0,
  );
}

// Products whose alerts are about the endpoint the agent runs on.
export const ENDPOINT_PRODUCTS: readonly SensorProductCode[] = ['FIREEYE_HX', 'CROWDSTRIKE_FALCON', 'CYBEREASON', 'CARBON_BLACK', 'SYMANTEC_SEP', 'TREND_MICRO'];

export interface AlertEndpoint {
  hostName: string | null;
  ip: string | null;
  endpointId: string | null;
}

const PRIVATE_V4 = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;
function isInternal(ip: string): boolean {
  return PRIVATE_V4.test(ip) || /^f[cd][0-9a-f]{2}:/i.test(ip);
}

// The customer's endpoints an alert involves: the host it names (host.name / host.ip / host.id or
// agent.id); for a network sensor without a host, the internal side of the connection.
export function endpointsOf(product: SensorProductCode, ecs: Obj): AlertEndpoint[] {
  const hostName = ecsString(ecs, 'host.name')?.toLowerCase() ?? null;
  const hostIp = ecsString(ecs, 'host.ip');
  const endpointId = ecsString(ecs, 'host.id') ?? (ENDPOINT_PRODUCTS.includes(product) ? ecsString(ecs, 'agent.id') : null);
  if (hostName || hostIp) return [{ hostName, ip: hostIp, endpointId }];
  const internal = [...ecsStrings(ecs, 'source.ip'), ...ecsStrings(ecs, 'destination.ip')].filter(isInternal);
  return [...new Set(internal)].map((ip) => ({ hostName: null, ip, endpointId: null }));
}

export function categoriesOf(ecs: Obj): string[] {
  return ecsStrings(ecs, 'event.category');
}
