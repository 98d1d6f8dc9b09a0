import { Injectable } from '@nestjs/common';
import { RevisionedSnapshot } from '../common/revisioned-snapshot';
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

// Finds the suppression of an alert from an in-memory copy of the rules, kept fresh by
// RevisionedSnapshot (analysis.suppression_revision). The window is checked against `at` on every
// match, so a suppression starting or running out needs no reload.
@Injectable()
export class SuppressionMatcher {
  static readonly REFRESH_MS = 2_000;
  private readonly snapshot: RevisionedSnapshot<SuppressionIndex>;

  constructor(repo: SuppressionsRepository) {
    this.snapshot = new RevisionedSnapshot('suppressions', { revision: () => repo.revision(), load: async () => new SuppressionIndex(await repo.matchable(new Date())) }, SuppressionMatcher.REFRESH_MS);
  }

  async match(customerId: string, alert: SuppressibleAlert, at: Date): Promise<MatchedSuppression | null> {
    return (await this.snapshot.current()).match(customerId, alert, at);
  }

  invalidate(): void {
    this.snapshot.invalidate();
  }
}
