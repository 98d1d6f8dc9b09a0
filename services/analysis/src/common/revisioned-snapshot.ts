import { createLogger } from '@kanshi/observability';

export interface SnapshotSource<T> {
  // A value that changes whenever what `load` reads changes (a revision counter row).
  revision(): Promise<string>;
  load(): Promise<T>;
}

// An in-memory copy of database state that every alert reads (IOC index, suppression rules).
// A change in this process invalidates it at once (the next read waits for the reload); other
// replicas' changes bump the revision, which is read at most once every `refreshMs` while reads go
// on with the copy in hand. A revision poll rather than LISTEN/NOTIFY: no dedicated connection to
// keep alive and re-subscribe after a failover, and a missed notification cannot leave the copy
// stale for ever.
export class RevisionedSnapshot<T> {
  private readonly log;
  private value: T | null = null;
  private revision: string | null = null;
  private checkedAt = 0;
  private stale = true;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly source: SnapshotSource<T>,
    private readonly refreshMs: number,
  ) {
    this.log = createLogger(`RevisionedSnapshot:${name}`);
  }

  async current(): Promise<T> {
    while (this.value === null || this.stale) await this.refresh();
    if (Date.now() - this.checkedAt > this.refreshMs && !this.loading) {
      // Recovery, not swallowing: the copy in hand keeps serving and the next read polls again.
      this.refresh().catch((err: unknown) => this.log.warn({ err }, `${this.name} refresh failed; reading the previous copy`));
    }
    return this.value;
  }

  // What the copy reflects changed (a write in this process committed).
  invalidate(): void {
    this.stale = true;
  }

  // One load at a time; readers during a load wait for it.
  private refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const force = this.stale || this.value === null;
        this.stale = false;
        const revision = await this.source.revision();
        this.checkedAt = Date.now();
        if (!force && revision === this.revision) return;
        this.value = await this.source.load();
        this.revision = revision;
      } catch (err) {
        this.stale = this.stale || this.value === null;
        throw err;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}
