// Per-sensor token buckets, counted in records. A request is let through while the sensor's
// bucket is not empty and may take it below zero (a large batch is not refused for its size
// alone); the debt is paid back at `ratePerSecond` before the next request passes. Per process:
// with several replicas each enforces its own share.
export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_BUCKETS = 50_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(ratePerSecond > 0) || !(burst > 0)) throw new RangeError('RateLimiter: rate and burst must be positive');
  }

  // Whether the sensor may send now (its bucket is not empty); `consume` charges what it sent.
  admit(key: string): Take {
    return this.take(key, 0);
  }

  consume(key: string, amount: number): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens -= amount;
    else this.take(key, amount);
  }

  take(key: string, amount: number): Take {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.evictFull(now);
      bucket = { tokens: this.burst, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond);
    bucket.updatedAt = now;
    if (bucket.tokens <= 0) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((-bucket.tokens + 1) / this.ratePerSecond)) };
    }
    bucket.tokens -= amount;
    return { ok: true };
  }

  // A full bucket is the same as no bucket.
  private evictFull(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.updatedAt) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(key);
    }
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
  }
}
