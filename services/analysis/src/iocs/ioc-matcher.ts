import { Injectable } from '@nestjs/common';
import { RevisionedSnapshot } from '../common/revisioned-snapshot';
import { IocHit, IocIndex } from './ioc-index';
import { IocsRepository } from './iocs.repository';

export type { IocHit } from './ioc-index';

// Finds the IOC hits of an alert from an in-memory index of every list, kept fresh by
// RevisionedSnapshot (analysis.ioc_revision). Expiry needs no reload: each match checks
// valid_from/valid_until against `at`.
@Injectable()
export class IocMatcher {
  static readonly REFRESH_MS = 2_000;
  private readonly snapshot: RevisionedSnapshot<IocIndex>;

  constructor(repo: IocsRepository) {
    this.snapshot = new RevisionedSnapshot('IOC index', { revision: () => repo.revision(), load: async () => new IocIndex(await repo.indexable(new Date())) }, IocMatcher.REFRESH_MS);
  }

  async match(customerId: string, ecs: Record<string, unknown>, at: Date): Promise<IocHit[]> {
    return (await this.snapshot.current()).match(customerId, ecs, at);
  }

  // The index no longer reflects the lists (an import in this process committed).
  invalidate(): void {
    this.snapshot.invalidate();
  }
}
