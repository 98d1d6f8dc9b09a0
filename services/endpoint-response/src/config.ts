import { bool, ConfigError, int, loadPlatformConfig, optionalStr, port, str } from '@kanshi/config';
import { credentialKeyProblems } from './connectors/credentials-cipher';

const schema = {
  PORT: port(4105),
  // EDR connector credentials are encrypted with this key (AES-256-GCM, base64 of 32 bytes); old
  // keys (comma-separated) still decrypt until the rotation job has re-encrypted every secret.
  // Required in production; development and tests use a fixed, well-known key without it.
  EDR_CREDENTIALS_KEY: optionalStr(),
  EDR_CREDENTIALS_PREVIOUS_KEYS: optionalStr(),
  // How adapters talk to the EDR consoles (docs/endpoint-response.md).
  EDR_HTTP_TIMEOUT_MS: int({ default: 10_000, min: 100, max: 120_000 }),
  EDR_MAX_RETRIES: int({ default: 3, min: 0, max: 10 }),
  EDR_RETRY_BASE_MS: int({ default: 200, min: 1, max: 60_000 }),
  EDR_RETRY_MAX_MS: int({ default: 5_000, min: 1, max: 300_000 }),
  EDR_MAX_RATE_LIMIT_WAITS: int({ default: 5, min: 0, max: 50 }),
  EDR_MAX_RETRY_AFTER_MS: int({ default: 60_000, min: 0, max: 600_000 }),
  EDR_BREAKER_FAILURES: int({ default: 5, min: 1, max: 1_000 }),
  EDR_BREAKER_COOLDOWN_MS: int({ default: 30_000, min: 100, max: 3_600_000 }),
  // Calls in flight at once per vendor; a per-vendor setting (0: this one) overrides it.
  EDR_MAX_CONCURRENCY: int({ default: 20, min: 1, max: 1_000 }),
  EDR_MAX_CONCURRENCY_CROWDSTRIKE_FALCON: int({ default: 0, min: 0, max: 1_000 }),
  EDR_MAX_CONCURRENCY_CARBON_BLACK: int({ default: 0, min: 0, max: 1_000 }),
  EDR_MAX_CONCURRENCY_CYBEREASON: int({ default: 0, min: 0, max: 1_000 }),
  EDR_MAX_CONCURRENCY_FIREEYE_HX: int({ default: 0, min: 0, max: 1_000 }),
  // Detections pulled from the EDR consoles and FireEye appliances (docs/endpoint-response.md).
  DETECTION_PULL_INTERVAL_MS: int({ default: 60_000, min: 1_000, max: 12 * 3600_000 }),
  // A connector just configured is synced and pulled at once (not at the next period).
  EDR_REFRESH_ON_CONFIGURE: bool(true),
  // A FireEye appliance's first pull looks back this far; later pulls look back the overlap again.
  DETECTION_PULL_FIREEYE_LOOKBACK_MS: int({ default: 3600_000, min: 60_000, max: 7 * 86400_000 }),
  DETECTION_PULL_FIREEYE_OVERLAP_MS: int({ default: 15 * 60_000, min: 0, max: 86400_000 }),
  // An isolation (or release) the EDR has not confirmed this long after the command is FAILED.
  ISOLATION_CONFIRM_TIMEOUT_SECONDS: int({ default: 600, min: 1, max: 86_400 }),
  // The EDR's containment state is polled with back-off: first after this long, doubling up to the cap.
  ISOLATION_POLL_INITIAL_MS: int({ default: 500, min: 10, max: 60_000 }),
  ISOLATION_POLL_MAX_MS: int({ default: 10_000, min: 10, max: 600_000 }),
  // One job polls inline this long, then hands over to a later job (so a slow vendor does not
  // hold a worker for the whole timeout).
  ISOLATION_INLINE_POLL_MS: int({ default: 20_000, min: 0, max: 600_000 }),
  // Isolation jobs run at once on one replica.
  ISOLATION_WORKERS: int({ default: 32, min: 1, max: 500 }),
  // Inventory sync from every MDR customer's EDR (listHosts), and how long an agent the EDR has not
  // reported stays a managed (billed) endpoint.
  ENDPOINT_SYNC_INTERVAL_MS: int({ default: 15 * 60_000, min: 1000, max: 12 * 3_600_000 }),
  MANAGED_ENDPOINT_WINDOW_DAYS: int({ default: 7, min: 1, max: 365 }),
  // The daily count of managed endpoints per MDR customer (response.endpoints.counted.v1), in Asia/Tokyo.
  ENDPOINTS_COUNT_CRON: str({ default: '45 23 * * *' }),
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadPlatformConfig('endpoint-response', schema, env);
  const problems = credentialKeyProblems(config.NODE_ENV, config.EDR_CREDENTIALS_KEY, config.EDR_CREDENTIALS_PREVIOUS_KEYS);
  if (problems.length) throw new ConfigError('endpoint-response', problems);
  return config;
}
export type EndpointResponseConfig = ReturnType<typeof loadConfig>;
