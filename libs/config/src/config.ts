// Configuration is read from the environment once at boot. Every problem is collected and
// reported together, naming the variable, so a bad deployment fails fast and says why.

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface Field<T> {
  parse(raw: string | undefined, name: string): T;
}

class FieldError extends Error {}

function required(raw: string | undefined, fallback: string | undefined): string {
  const value = raw === undefined || raw === '' ? fallback : raw;
  if (value === undefined) throw new FieldError('is required but not set');
  return value;
}

export function str(opts: { default?: string; minLength?: number; oneOf?: readonly string[] } = {}): Field<string> {
  return {
    parse(raw) {
      const v = required(raw, opts.default);
      if (opts.minLength !== undefined && v.length < opts.minLength) throw new FieldError(`must be at least ${opts.minLength} characters long`);
      if (opts.oneOf && !opts.oneOf.includes(v)) throw new FieldError(`must be one of ${opts.oneOf.join(', ')} (got "${v}")`);
      return v;
    },
  };
}

export function optionalStr(): Field<string | undefined> {
  return { parse: (raw) => (raw === undefined || raw === '' ? undefined : raw) };
}

export function int(opts: { default?: number; min?: number; max?: number } = {}): Field<number> {
  return {
    parse(raw) {
      const v = required(raw, opts.default?.toString());
      if (!/^-?\d+$/.test(v.trim())) throw new FieldError(`must be an integer (got "${v}")`);
      const n = Number(v);
      if (opts.min !== undefined && n < opts.min) throw new FieldError(`must be at least ${opts.min} (got ${n})`);
      if (opts.max !== undefined && n > opts.max) throw new FieldError(`must be at most ${opts.max} (got ${n})`);
      return n;
    },
  };
}

export function port(defaultPort?: number): Field<number> {
  return int({ default: defaultPort, min: 0, max: 65535 });
}

export function bool(defaultValue?: boolean): Field<boolean> {
  return {
    parse(raw) {
      const v = required(raw, defaultValue?.toString()).toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new FieldError(`must be true or false (got "${v}")`);
    },
  };
}

export function url(opts: { default?: string; protocols?: readonly string[] } = {}): Field<string> {
  return {
    parse(raw) {
      const v = required(raw, opts.default);
      let parsed: URL;
      try {
        parsed = new URL(v);
      } catch {
        throw new FieldError(`must be a URL (got "${redact(v)}")`);
      }
      if (opts.protocols && !opts.protocols.includes(parsed.protocol)) {
        throw new FieldError(`must use ${opts.protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
      return v;
    },
  };
}

// A five-field cron expression (minute hour day-of-month month day-of-week), numbers only:
// `*`, `n`, `n-m`, each with an optional `/step`, in comma-separated lists.
const CRON_FIELDS: [string, number, number][] = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 7],
];

export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const [name, min, max] = CRON_FIELDS[i];
    for (const part of field.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) return `${name} "${part}" is not a number, range, * or step`;
      const nums = [m[2], m[3]].filter((v) => v !== undefined).map(Number);
      if (nums.some((n) => n < min || n > max)) return `${name} "${part}" is outside ${min}-${max}`;
      if (nums.length === 2 && nums[0] > nums[1]) return `${name} "${part}" is a backwards range`;
      if (m[4] !== undefined && Number(m[4]) < 1) return `${name} "${part}" has a step below 1`;
    }
  }
  return null;
}

export function cron(opts: { default?: string } = {}): Field<string> {
  return {
    parse(raw) {
      const v = required(raw, opts.default).trim();
      const problem = cronProblem(v);
      if (problem) throw new FieldError(`is not a cron expression: ${problem} (got "${v}")`);
      return v;
    },
  };
}

function redact(v: string): string {
  return v.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

export type Schema = Record<string, Field<unknown>>;
export type Parsed<S extends Schema> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

export function parseConfig<S extends Schema>(service: string, schema: S, env: NodeJS.ProcessEnv = process.env): Parsed<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema)) {
    try {
      out[name] = field.parse(env[name], name);
    } catch (err) {
      problems.push(`${name} ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length) throw new ConfigError(service, problems);
  return out as Parsed<S>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why a JWKS URL is refused, or null: keys fetched over plain HTTP could be swapped by anyone on
 * the path, so only https is accepted (plain http only to this machine, for development and tests).
 */
export function jwksUrlProblem(jwksUrl: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    return `OIDC_JWKS_URL is not a URL (got "${jwksUrl}")`;
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && !production && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return `OIDC_JWKS_URL must be an https URL (got ${url.protocol}//${url.host})${production ? '' : '; plain http is accepted only for 127.0.0.1 or localhost outside production'}`;
}

// The variables every service reads; each service adds its own.
export const platformSchema = {
  // Unset means production: development conveniences (HS256 tokens, GraphQL introspection) must be
  // asked for (npm start, npm run dev and the tests set development or test themselves).
  NODE_ENV: str({ default: 'production', oneOf: ['development', 'test', 'production'] }),
  DATABASE_URL: url({ default: 'postgres://postgres@127.0.0.1:5432/kanshi', protocols: ['postgres:', 'postgresql:'] }),
  DATABASE_POOL_SIZE: int({ default: 10, min: 1, max: 200 }),
  NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats:', 'tls:', 'ws:', 'wss:'] }),
  // Prefixes every subject and stream, so test runs and environments can share one NATS.
  NATS_NAMESPACE: str({ default: 'kanshi' }),
  // JetStream replicas of the streams a service creates: 1 on one server, 3 on a 3-node cluster.
  NATS_STREAM_REPLICAS: int({ default: 1, min: 1, max: 5 }),
  // The address the HTTP server listens on: loopback on a workstation, 0.0.0.0 in a container.
  LISTEN_HOST: str({ default: '127.0.0.1' }),
  AUTH_MODE: str({ default: 'hs256', oneOf: ['hs256', 'jwks'] }),
  JWT_SECRET: optionalStr(),
  OIDC_ISSUER: optionalStr(),
  OIDC_AUDIENCE: optionalStr(),
  OIDC_JWKS_URL: optionalStr(),
  // The longest a bearer token may live (exp - iat); tokens without exp are refused.
  JWT_MAX_LIFETIME_SECONDS: int({ default: 24 * 3600, min: 60, max: 30 * 24 * 3600 }),
  // The gateway sends it to every subgraph, which answers nobody else (required in production).
  SUBGRAPH_SECRET: optionalStr(),
  SHUTDOWN_TIMEOUT_MS: int({ default: 10000, min: 0 }),
  // Job queue (libs/jobs): how often an idle worker looks for due jobs, and how often cron
  // schedules are checked (a scheduled job starts up to this late).
  JOBS_POLL_INTERVAL_MS: int({ default: 2000, min: 500, max: 60_000 }),
  JOBS_CRON_CHECK_SECONDS: int({ default: 30, min: 1, max: 45 }),
  // How long JetStream waits for a consumer's ack before it delivers the message again (a paused
  // or dead replica's messages go to another after this long).
  CONSUMER_ACK_WAIT_MS: int({ default: 30_000, min: 1000, max: 600_000 }),
  // Published outbox rows are deleted on this schedule (UTC), once across replicas.
  OUTBOX_PRUNE_CRON: cron({ default: '17 * * * *' }),
} as const;

export type PlatformConfig = Parsed<typeof platformSchema>;

// Cross-field rules that a per-field parser cannot see.
export function checkPlatformConfig(service: string, c: PlatformConfig): void {
  const problems: string[] = [];
  if (c.AUTH_MODE === 'hs256') {
    if (!c.JWT_SECRET) problems.push('JWT_SECRET is required when AUTH_MODE=hs256');
    else if (c.JWT_SECRET.length < 32) problems.push('JWT_SECRET must be at least 32 characters long');
    if (c.NODE_ENV === 'production') problems.push('AUTH_MODE must be jwks in production (hs256 is for development)');
  } else {
    if (!c.OIDC_ISSUER) problems.push('OIDC_ISSUER is required when AUTH_MODE=jwks');
    if (!c.OIDC_JWKS_URL) problems.push('OIDC_JWKS_URL is required when AUTH_MODE=jwks');
    else {
      const problem = jwksUrlProblem(c.OIDC_JWKS_URL, c.NODE_ENV === 'production');
      if (problem) problems.push(problem);
    }
    if (!c.OIDC_AUDIENCE) problems.push('OIDC_AUDIENCE is required when AUTH_MODE=jwks (tokens minted for another API must not be accepted)');
  }
  if (c.SUBGRAPH_SECRET !== undefined && c.SUBGRAPH_SECRET.length < 32) problems.push('SUBGRAPH_SECRET must be at least 32 characters long');
  if (c.NODE_ENV === 'production' && !c.SUBGRAPH_SECRET) problems.push('SUBGRAPH_SECRET is required in production (the gateway sends it; subgraphs answer only calls that carry it)');
  if (!/^[A-Za-z0-9_-]+$/.test(c.NATS_NAMESPACE)) problems.push(`NATS_NAMESPACE must contain only letters, digits, _ and - (got "${c.NATS_NAMESPACE}")`);
  if (problems.length) throw new ConfigError(service, problems);
}

export function loadPlatformConfig<S extends Schema>(service: string, extra: S, env: NodeJS.ProcessEnv = process.env): PlatformConfig & Parsed<S> {
  const parsed = parseConfig(service, { ...platformSchema, ...extra }, env) as PlatformConfig & Parsed<S>;
  checkPlatformConfig(service, parsed);
  return parsed;
}
