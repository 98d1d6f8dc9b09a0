// Answers of a lookup kept for a short while, "nothing found" included: every intake record is
// attributed to a sensor through one of these (in SensorDirectory), so a flood from one source
// costs one query per TTL, not one per record.
// - callers asking while a lookup is in flight share it;
// - a failed lookup is not an answer: the next caller asks again;
// - bounded, oldest entry first, so spoofed UDP source addresses cannot grow it for ever;
// - clear() forgets everything at once (a sensor changed).
interface Entry<V> {
  // fresh until then; a lookup in flight never expires
  expiresAt: number;
  promise: Promise<V>;
  settled: boolean;
  value?: V;
}

export class LookupCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  // The answer when it is known and fresh, without a promise (the UDP hot path asks this for
  // every datagram).
  peek(key: string): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (!entry || !entry.settled || entry.expiresAt <= this.now()) return undefined;
    return { value: entry.value as V };
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && (!entry.settled || entry.expiresAt > this.now())) return entry.promise;
    if (entry) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // Map order is insertion order
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const created: Entry<V> = { expiresAt: Number.POSITIVE_INFINITY, promise: Promise.resolve().then(load), settled: false };
    this.entries.set(key, created);
    created.promise.then(
      (value) => {
        created.settled = true;
        created.value = value;
        created.expiresAt = this.now() + this.ttlMs;
      },
      () => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      },
    );
    return created.promise;
  }

  clear(): void {
    this.entries.clear();
  }
}
