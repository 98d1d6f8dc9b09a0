// Coalesces single calls into batches (group commit): `add(item)` waits until its batch has run.
// A batch runs `waitMs` after its first item, or at once when `maxItems` are waiting; one batch
// runs at a time, and what arrives meanwhile forms the next one, which starts as soon as it ends.
// `run` answers each item of the batch in order; when it throws, every item of that batch is
// rejected with the error (their callers fail and retry on their own).
export class Coalescer<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly opts: { maxItems: number; waitMs: number },
  ) {
    if (!(opts.maxItems >= 1)) throw new Error(`Coalescer: maxItems must be at least 1 (got ${opts.maxItems})`);
    if (!(opts.waitMs >= 0)) throw new Error(`Coalescer: waitMs must be 0 or more (got ${opts.waitMs})`);
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running) return;
    if (this.pending.length >= this.opts.maxItems) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
    } else if (!this.timer && this.pending.length) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.opts.waitMs);
    }
  }

  private async flush(): Promise<void> {
    if (this.running || !this.pending.length) return;
    this.running = true;
    const batch = this.pending.splice(0, this.opts.maxItems);
    try {
      const out = await this.run(batch.map((b) => b.item));
      if (out.length !== batch.length) throw new Error(`Coalescer: the batch of ${batch.length} was answered with ${out.length} results`);
      batch.forEach((b, i) => b.resolve(out[i]));
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      this.running = false;
    }
    // what arrived meanwhile goes at once (it has waited a batch's time already)
    if (this.pending.length) void this.flush();
  }
}
