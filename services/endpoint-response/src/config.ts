import { int, loadPlatformConfig, port, str } from '@kanshi/config';

const schema = {
  PORT: port(4105),
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
  // Requests in flight at once to one customer's EDR connector, per replica.
  EDR_MAX_CONCURRENT_REQUESTS: int({ default: 8, min: 1, max: 200 }),
  // Inventory sync from every MDR customer's EDR (listHosts), and how long an agent the EDR has not
  // reported stays a managed (billed) endpoint.
  ENDPOINT_SYNC_INTERVAL_MS: int({ default: 15 * 60_000, min: 1000, max: 12 * 3_600_000 }),
  MANAGED_ENDPOINT_WINDOW_DAYS: int({ default: 7, min: 1, max: 365 }),
  // The daily count of managed endpoints per MDR customer (response.endpoints.counted.v1), in Asia/Tokyo.
  ENDPOINTS_COUNT_CRON: str({ default: '45 23 * * *' }),
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig('endpoint-response', schema, env);
}
export type EndpointResponseConfig = ReturnType<typeof loadConfig>;
