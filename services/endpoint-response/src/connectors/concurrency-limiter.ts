// At most `limit` calls in flight at once; the others wait in arrival order. `peak` is the highest
// number ever in flight (the benchmark checks it against the limit).
export class ConcurrencyLimiter {
  private active = 0;
  private highest = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  get peak(): number {
    return this.highest;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    this.highest = Math.max(this.highest, this.active);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next();
      else this.active--;
    }
  }
}
