import { EdrProductCode } from '@kanshi/events';
import { CircuitBreaker } from './circuit-breaker';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { ConnectorSettings } from './connector-settings';

// A vendor session (token, cookie or API-key header) shared by every call of one credential.
export interface VendorSession {
  // Headers every authenticated request carries.
  headers: Record<string, string>;
  // The token or cookie value, so exchanges can redact it.
  token: string | null;
  // Epoch ms after which the adapter logs in again before calling; null: never (API keys).
  expiresAt: number | null;
}

export interface SessionSlot {
  session: VendorSession | null;
  pending: Promise<VendorSession> | null;
}

// What the adapters of one process share: settings, a circuit breaker per (vendor, customer), a
// concurrency limit per vendor, and the sessions of each credential (one login serves every call).
export class ConnectorRuntime {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly limiters = new Map<EdrProductCode, ConcurrencyLimiter>();
  private readonly sessions = new Map<string, SessionSlot>();

  constructor(
    readonly settings: ConnectorSettings,
    readonly now: () => number = Date.now,
  ) {}

  breaker(product: EdrProductCode, customerId: string): CircuitBreaker {
    const key = `${product}|${customerId}`;
    let b = this.breakers.get(key);
    if (!b) {
      b = new CircuitBreaker(this.settings.breakerFailures, this.settings.breakerCooldownMs, this.now);
      this.breakers.set(key, b);
    }
    return b;
  }

  limiter(product: EdrProductCode): ConcurrencyLimiter {
    let l = this.limiters.get(product);
    if (!l) {
      l = new ConcurrencyLimiter(this.settings.maxConcurrency[product]);
      this.limiters.set(product, l);
    }
    return l;
  }

  session(key: string): SessionSlot {
    let s = this.sessions.get(key);
    if (!s) {
      s = { session: null, pending: null };
      this.sessions.set(key, s);
    }
    return s;
  }

  // Forgets the sessions of a credential (after it was reconfigured).
  forgetSessions(prefix: string): void {
    for (const key of [...this.sessions.keys()]) if (key.startsWith(prefix)) this.sessions.delete(key);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
