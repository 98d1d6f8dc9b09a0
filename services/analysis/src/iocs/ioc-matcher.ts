import { Injectable, Logger } from '@nestjs/common';
import { IocHit, IocIndex } from './ioc-index';
import { IocsRepository } from './iocs.repository';

export type { IocHit } from './ioc-index';

// Finds the IOC hits of an alert from an in-memory index of every list. Freshness: an import in
// this process invalidates the index at once (the next match waits for the reload); other
// replicas' imports bump analysis.ioc_revision, which this process reads at most once every
// REFRESH_MS, reloading in the background while matches go on with the index they have. A short
// revision poll was chosen over LISTEN/NOTIFY: no dedicated connection to keep alive and
// re-subscribe after a database failover, and a missed notification cannot leave an index stale
// for ever. Expiry needs no reload: each match checks valid_from/valid_until against `at`.
@Injectable()
export class IocMatcher {
  static readonly REFRESH_MS = 2_000;
  private readonly logger = new Logger(IocMatcher.name);
  private index: IocIndex | null = null;
  private revision: string | null = null;
  private checkedAt = 0;
  private stale = true;
  private loading: Promise<void> | null = null;

  constructor(private readonly repo: IocsRepository) {}

  async match(customerId: string, ecs: Record<string, unknown>, at: Date): Promise<IocHit[]> {
    const index = await this.current();
    return index.match(customerId, ecs, at);
  }

  // The index no longer reflects the lists (an import in this process committed).
  invalidate(): void {
    this.stale = true;
  }

  private async current(): Promise<IocIndex> {
    while (!this.index || this.stale) await this.refresh();
    if (Date.now() - this.checkedAt > IocMatcher.REFRESH_MS && !this.loading) {
      // Recovery, not swallowing: on a failed poll the index in hand keeps serving and the
      // next match past REFRESH_MS polls again.
      this.refresh().catch((err: unknown) => this.logger.warn({ err }, 'IOC index refresh failed; matching with the previous index'));
    }
    return this.index;
  }

  // One load at a time; callers during a load wait for it.
  private refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const force = this.stale || !this.index;
        this.stale = false;
        const revision = await this.repo.revision();
        this.checkedAt = Date.now();
        if (!force && revision === this.revision) return;
        this.index = new IocIndex(await this.repo.indexable(new Date()));
        this.revision = revision;
      } catch (err) {
        this.stale = this.stale || !this.index;
        throw err;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}
