import { Injectable, Logger } from '@nestjs/common';
import { CompiledCondition, compileConditions, SuppressibleAlert } from './suppression-conditions';
import { SuppressionEntity } from './suppression.entity';
import { SuppressionsRepository } from './suppressions.repository';

// The suppression that silences an alert, as the verdict side needs it.
export interface MatchedSuppression {
  id: string;
  // null: a global suppression.
  customerId: string | null;
  reason: string;
  owner: string;
  from: Date;
  until: Date;
}

type Compiled = MatchedSuppression & { matches: CompiledCondition };

// Suppressions by customer (global ones under null), compiled once per load.
class SuppressionIndex {
  private readonly byCustomer = new Map<string | null, Compiled[]>();

  constructor(rows: SuppressionEntity[]) {
    for (const s of rows) {
      const c: Compiled = { id: s.id, customerId: s.customerId, reason: s.reason, owner: s.owner, from: s.startsAt, until: s.endsAt, matches: compileConditions(s.conditions) };
      const list = this.byCustomer.get(s.customerId) ?? [];
      list.push(c);
      this.byCustomer.set(s.customerId, list);
    }
  }

  // The customer's own suppressions first, then global ones, each oldest first.
  match(customerId: string, alert: SuppressibleAlert, at: Date): MatchedSuppression | null {
    const t = at.getTime();
    for (const list of [this.byCustomer.get(customerId), this.byCustomer.get(null)]) {
      for (const s of list ?? []) {
        if (s.from.getTime() <= t && t < s.until.getTime() && s.matches(alert)) {
          const { matches: _, ...matched } = s;
          return matched;
        }
      }
    }
    return null;
  }
}

// Finds the suppression of an alert from an in-memory copy of the rules, the way IocMatcher does:
// a change in this process invalidates it at once (the next match waits for the reload); other
// replicas' changes bump analysis.suppression_revision, read at most once every REFRESH_MS while
// matches go on with the rules in hand. The window is checked against `at` on every match, so a
// suppression starting or running out needs no reload.
@Injectable()
export class SuppressionMatcher {
  static readonly REFRESH_MS = 2_000;
  private readonly logger = new Logger(SuppressionMatcher.name);
  private index: SuppressionIndex | null = null;
  private revision: string | null = null;
  private checkedAt = 0;
  private stale = true;
  private loading: Promise<void> | null = null;

  constructor(private readonly repo: SuppressionsRepository) {}

  async match(customerId: string, alert: SuppressibleAlert, at: Date): Promise<MatchedSuppression | null> {
    const index = await this.current();
    return index.match(customerId, alert, at);
  }

  invalidate(): void {
    this.stale = true;
  }

  private async current(): Promise<SuppressionIndex> {
    while (!this.index || this.stale) await this.refresh();
    if (Date.now() - this.checkedAt > SuppressionMatcher.REFRESH_MS && !this.loading) {
      // Recovery, not swallowing: the rules in hand keep serving and the next match polls again.
      this.refresh().catch((err: unknown) => this.logger.warn({ err }, 'suppression refresh failed; matching with the previous rules'));
    }
    return this.index;
  }

  private refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const force = this.stale || !this.index;
        this.stale = false;
        const revision = await this.repo.revision();
        this.checkedAt = Date.now();
        if (!force && revision === this.revision) return;
        this.index = new SuppressionIndex(await this.repo.matchable(new Date()));
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
