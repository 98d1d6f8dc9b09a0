import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { bool, ConfigError, int, loadPlatformConfig, optionalStr, port, str } from '@kanshi/config';
import { AddressList } from './intake/smtp/address-list';

// Routes for the outside world, served on PUBLIC_PORT only (libs/platform public-port.ts).
export const PUBLIC_ROUTES = ['/ingest/'];

// Ports of the intake listeners: 0 switches a listener off.
const schema = {
  PORT: port(4102),
  // Sensors' HTTPS intake (PUBLIC_ROUTES) listens here, apart from GraphQL, metrics and health
  // on PORT; 0 switches it off.
  PUBLIC_PORT: port(4202),
  // HTTPS intake (TLS is terminated in front of the service, like the GraphQL endpoint).
  INGEST_MAX_BODY_BYTES: int({ default: 10 * 1024 * 1024, min: 1024, max: 16 * 1024 * 1024 }),
  // Per-sensor token bucket, in records: the long-run rate and the burst a sensor may send at once.
  INGEST_RATE_PER_SENSOR: int({ default: 5_000, min: 1 }),
  INGEST_BURST_PER_SENSOR: int({ default: 50_000, min: 1 }),
  // Worker threads that parse and normalize records (0: on the main thread). By default one
  // fewer than the cores, but at least two: parsing is most of intake's CPU, and on two cores
  // one worker was the bottleneck (busy all the time while the machine was 14% idle); two stored
  // 8-45% more events per second (ingest benchmark).
  INGEST_PARSE_WORKERS: int({ default: Math.min(8, Math.max(2, availableParallelism() - 1)), min: 0, max: 16 }),
  // logs.received messages JetStream refused are kept in ingestion.log_backlog and published
  // again this often (and dropped, counted, once older than the stream keeps messages).
  LOG_BACKLOG_INTERVAL_MS: int({ default: 5_000, min: 100 }),
  // A raw event search (substring over the raw lines of up to 93 days) stops after this long
  // and asks for a narrower one, instead of holding a database connection for minutes.
  RAW_SEARCH_TIMEOUT_MS: int({ default: 15_000, min: 1, max: 300_000 }),
  SYSLOG_HOST: str({ default: '127.0.0.1' }),
  SYSLOG_UDP_PORT: port(0),
  SYSLOG_TCP_PORT: port(0),
  SYSLOG_TLS_PORT: port(0),
  SYSLOG_TLS_CERT_PATH: optionalStr(),
  SYSLOG_TLS_KEY_PATH: optionalStr(),
  // When set, TLS clients must present a certificate signed by this CA.
  SYSLOG_TLS_CA_PATH: optionalStr(),
  SYSLOG_BATCH_MAX_RECORDS: int({ default: 1000, min: 1, max: 5000 }),
  SYSLOG_BATCH_MAX_DELAY_MS: int({ default: 50, min: 1, max: 10_000 }),
  SMTP_HOST: str({ default: '127.0.0.1' }),
  SMTP_PORT: port(0),
  INTAKE_MAIL_DOMAIN: str({ default: 'intake.kanshi.local' }),
  // MAIL FROM is whatever a client claims: mail accepted on a sensor's allow-listed sender (no
  // token) must come through these relays (the SOC's own MTA, which checks SPF/DKIM; the local
  // one by default) or from an address registered on that sensor. Addresses and CIDR blocks.
  SMTP_SENDER_RELAYS: str({ default: '127.0.0.0/8, ::1' }),
  SMTP_TLS_CERT_PATH: optionalStr(),
  SMTP_TLS_KEY_PATH: optionalStr(),
  // Intake hardening (docs/security.md, "Intake"). Sender-based mail attribution needs an
  // Authentication-Results pass (SPF, DKIM or DMARC) written by one of these authserv-ids (the
  // SOC's relay), comma-separated; none: sender-based attribution is off, tokens only.
  MAIL_TRUSTED_AUTHSERV_IDS: str({ default: '' }),
  // Addresses never bound to a sensor besides the reserved ranges and SMTP_SENDER_RELAYS: the
  // SOC's own networks (addresses and CIDR blocks).
  SOC_INTERNAL_ADDRESSES: str({ default: '' }),
  // Development and tests only: loopback addresses may be bound to sensors (a device simulated
  // on this machine). Never in production.
  INTAKE_ALLOW_LOOPBACK_SOURCES: bool(false),
  // HTTPS bodies read at once across the replica (each up to INGEST_MAX_BODY_BYTES); more wait
  // for a 503 with Retry-After.
  INGEST_MAX_CONCURRENT_BODIES: int({ default: 32, min: 1, max: 1024 }),
  // Idempotent intake (docs/ingestion.md, "Resends"): how long an HTTPS Idempotency-Key is kept;
  // how long a request without one is recognised by a digest of its sensor and body (0: never,
  // every identical body is stored again); how long a mail's Message-ID (or alert text digest)
  // is kept; how often expired keys are deleted (a job, once across replicas, and at each start).
  INGEST_IDEMPOTENCY_KEY_HOURS: int({ default: 24, min: 1, max: 24 * 30 }),
  INGEST_DIGEST_WINDOW_HOURS: int({ default: 24, min: 0, max: 24 * 30 }),
  SMTP_DEDUP_HOURS: int({ default: 168, min: 1, max: 24 * 90 }),
  INTAKE_REQUEST_PURGE_INTERVAL_MS: int({ default: 3_600_000, min: 1000, max: 12 * 3_600_000 }),
  // Liveness: how often silent sensors are looked for (a job, once across replicas; the job
  // queue's intervals are whole seconds).
  LIVENESS_CHECK_INTERVAL_MS: int({ default: 15_000, min: 1000, max: 3_600_000 }),
  // Retention: how often partitions are created ahead and expired ones dropped (a job, once
  // across replicas, and at each start).
  RETENTION_INTERVAL_MS: int({ default: 3_600_000, min: 1000, max: 12 * 3_600_000 }),
  PARTITION_MONTHS_AHEAD: int({ default: 2, min: 1, max: 24 }),
  DEFAULT_LOG_RETENTION_MONTHS: int({ default: 3, min: 1, max: 120 }),
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadPlatformConfig('ingestion', schema, env);
  const problems: string[] = [];
  if (config.SYSLOG_TLS_PORT && (!config.SYSLOG_TLS_CERT_PATH || !config.SYSLOG_TLS_KEY_PATH)) {
    problems.push('SYSLOG_TLS_CERT_PATH and SYSLOG_TLS_KEY_PATH are required when SYSLOG_TLS_PORT is set');
  }
  if (Boolean(config.SMTP_TLS_CERT_PATH) !== Boolean(config.SMTP_TLS_KEY_PATH)) problems.push('SMTP_TLS_CERT_PATH and SMTP_TLS_KEY_PATH go together');
  for (const name of ['SYSLOG_TLS_CERT_PATH', 'SYSLOG_TLS_KEY_PATH', 'SYSLOG_TLS_CA_PATH', 'SMTP_TLS_CERT_PATH', 'SMTP_TLS_KEY_PATH'] as const) {
    const path = config[name];
    if (path && !readable(path)) problems.push(`${name} ${path} cannot be read`);
  }
  for (const name of ['SMTP_SENDER_RELAYS', 'SOC_INTERNAL_ADDRESSES'] as const) {
    try {
      AddressList.parse(config[name]);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new ConfigError('ingestion', problems);
  return config;
}
export type IngestionConfig = ReturnType<typeof loadConfig>;

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
