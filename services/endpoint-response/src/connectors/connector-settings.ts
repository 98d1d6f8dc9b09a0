import { EdrProductCode } from '@kanshi/events';

// How the adapters talk to vendors (docs/endpoint-response.md, "Retries and the circuit breaker").
export interface ConnectorSettings {
  // One HTTP exchange gets no answer within this: TIMEOUT (retried).
  timeoutMs: number;
  // Retries after a 5xx, a timeout or a refused connection (so maxRetries + 1 attempts).
  maxRetries: number;
  // Jittered exponential back-off between those retries: a random wait in
  // [d/2, d] with d = min(retryMaxMs, retryBaseMs * 2^retry).
  retryBaseMs: number;
  retryMaxMs: number;
  // 429: wait Retry-After (or retryBaseMs without one), at most this many times per call...
  maxRateLimitWaits: number;
  // ...and never longer than this per wait (a longer Retry-After fails at once as RATE_LIMITED).
  maxRetryAfterMs: number;
  // The circuit of a (vendor, customer) opens after this many calls in a row failed
  // (UNAVAILABLE / TIMEOUT after their retries) and lets one trial call through after the cool-down.
  breakerFailures: number;
  breakerCooldownMs: number;
  // Calls in flight at once per vendor, across customers.
  maxConcurrency: Record<EdrProductCode, number>;
}

export const DEFAULT_CONNECTOR_SETTINGS: ConnectorSettings = {
  timeoutMs: 10_000,
  maxRetries: 3,
  retryBaseMs: 200,
  retryMaxMs: 5_000,
  maxRateLimitWaits: 5,
  maxRetryAfterMs: 60_000,
  breakerFailures: 5,
  breakerCooldownMs: 30_000,
  maxConcurrency: { CROWDSTRIKE_FALCON: 20, CARBON_BLACK: 20, CYBEREASON: 20, FIREEYE_HX: 20 },
};
