import { bool, int, loadPlatformConfig, optionalStr, port } from '@kanshi/config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig(
    'gateway',
    {
      PORT: port(4000),
      SUPERGRAPH_PATH: optionalStr(),
      // Per-environment subgraph URLs, e.g. SUBGRAPH_URL_INCIDENT=http://incident:3000/graphql.
      MAX_QUERY_DEPTH: int({ default: 12, min: 2, max: 50 }),
      MAX_ALIASES: int({ default: 30, min: 1, max: 1000 }),
      // gateway/src/limits/query-limits.ts prices a query; docs/security.md
      MAX_QUERY_COST: int({ default: 100000, min: 10 }),
      // a query of more tokens is refused while it is parsed, before validation
      MAX_QUERY_TOKENS: int({ default: 5000, min: 100, max: 1000000 }),
      MAX_BATCH_OPERATIONS: int({ default: 10, min: 1, max: 100 }),
      BODY_LIMIT_BYTES: int({ default: 1024 * 1024, min: 1024 }),
      // development and tests only, unless asked for (a missing NODE_ENV is production)
      INTROSPECTION: bool(env.NODE_ENV === 'development' || env.NODE_ENV === 'test'),
    },
    env,
  );
}
export type GatewayConfig = ReturnType<typeof loadConfig>;

export function subgraphUrlOverrides(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^SUBGRAPH_URL_([A-Z_]+)$/.exec(k);
    if (m && v) out[m[1].toLowerCase().replace(/_/g, '-')] = v;
  }
  return out;
}
