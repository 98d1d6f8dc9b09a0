// At most `max` requests in flight to one connector (a customer's EDR) from this replica: the
// vendors' APIs rate-limit per API client, and 500 isolations at once must not hit one with 500.
export class ConnectorLimiter {
  private readonly slots = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly max: number) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let s = this.slots.get(key);
    if (!s) {
      s = { active: 0, waiting: [] };
      this.slots.set(key, s);
    }
    const slot = s;
    if (slot.active >= this.max) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    else slot.active++;
    try {
      return await work();
    } finally {
      const next = slot.waiting.shift();
      if (next) next();
      else {
        slot.active--;
        if (slot.active === 0) this.slots.delete(key);
      }
    }
  }

  // Requests in flight per key (for tests and metrics).
  inFlight(key: string): number {
    return this.slots.get(key)?.active ?? 0;
  }
}
