import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AlertRef } from '@kanshi/events';
import { AccessError, authorize, Principal, scopeOf } from '@kanshi/auth';
import { ConnectionShape, decodeCursor, pageOf, pageSize, TenantDirectory } from '@kanshi/platform';
import { Clock } from '@kanshi/calendar';
import { CreateSuppressionInput } from './create-suppression.input';
import { conditionProblem, SuppressionCondition } from './suppression-conditions';
import { SuppressionMatcher } from './suppression-matcher';
import { SuppressionEntity } from './suppression.entity';
import { SuppressionError } from './suppressions.errors';
import { SuppressionsPermissions } from './suppressions.permissions';
import { SuppressionsRepository } from './suppressions.repository';

// A suppression as the API shows it to one caller.
export interface SuppressionView {
  id: string;
  customerId: string | null;
  match: SuppressionCondition[] | null;
  from: Date;
  until: Date;
  reason: string;
  owner: string | null;
  createdAt: Date;
  endedAt: Date | null;
  active: boolean;
}

export interface SuppressedAlertView {
  alert: AlertRef & { __typename: 'Alert' };
  customerId: string;
  suppressedAt: Date;
}

export const MAX_WINDOW_DAYS = 90;
export const MAX_LISTED_SUPPRESSIONS = 500;
const DAY_MS = 86_400_000;

@Injectable()
export class SuppressionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: SuppressionsRepository,
    private readonly directory: TenantDirectory,
    private readonly matcher: SuppressionMatcher,
    private readonly clock: Clock,
  ) {}

  // Those applying to the caller's customers (or to `customerId`): own and global. A list that
  // would pass MAX_LISTED_SUPPRESSIONS is refused, never cut.
  async list(principal: Principal, q: { customerId?: string; active?: boolean } = {}): Promise<SuppressionView[]> {
    authorize(principal, SuppressionsPermissions.readSuppressions);
    const now = this.clock.now();
    const rows = await this.repo.visible(scopeOf(principal), { ...q, now }, MAX_LISTED_SUPPRESSIONS + 1);
    if (rows.length > MAX_LISTED_SUPPRESSIONS) {
      throw new SuppressionError('TOO_MANY_SUPPRESSIONS', `more than ${MAX_LISTED_SUPPRESSIONS} suppressions: narrow by customerId or active`, 'customerId');
    }
    return rows.map((s) => this.viewOf(principal, s, now));
  }

  // Analysts and provider admins create for any customer or globally; a customer admin only for
  // its own customer. The window must end in the future and at most 90 days from now.
  async create(principal: Principal, input: CreateSuppressionInput): Promise<SuppressionView> {
    authorize(principal, SuppressionsPermissions.manageSuppressions);
    const global = input.global === true;
    if (global && input.customerId) throw new SuppressionError('TARGET_UNCLEAR', 'give either customerId or global: true, not both', 'customerId');
    if (global && !principal.isProvider) throw new AccessError('FORBIDDEN', `role ${principal.role} may not create global suppressions`);
    let customerId: string | null = null;
    if (!global) {
      const wanted = input.customerId ?? (principal.isProvider ? undefined : (principal.customerId ?? undefined));
      if (!wanted) throw new SuppressionError('TARGET_UNCLEAR', 'give customerId, or global: true for every customer', 'customerId');
      customerId = (await this.directory.visibleCustomerOrThrow(principal, wanted)).customerId;
    }
    const problem = conditionProblem(input.match);
    if (problem) throw new SuppressionError('INVALID_CONDITION', problem.message, problem.field);
    const now = this.clock.now();
    const startsAt = input.from ? new Date(input.from) : now;
    const endsAt = new Date(input.until);
    if (endsAt.getTime() <= now.getTime()) throw new SuppressionError('INVALID_WINDOW', 'until must be in the future', 'until');
    if (endsAt.getTime() <= startsAt.getTime()) throw new SuppressionError('INVALID_WINDOW', 'until must be after from', 'until');
    if (endsAt.getTime() > now.getTime() + MAX_WINDOW_DAYS * DAY_MS) {
      throw new SuppressionError('INVALID_WINDOW', `until must be at most ${MAX_WINDOW_DAYS} days ahead: noisy rules are reviewed, then extended by a new suppression`, 'until');
    }
    const conditions = input.match.map(conditionOf);
    const saved = await this.ds.transaction(async (em) => {
      const s = await this.repo.insert(em, { customerId, conditions, startsAt, endsAt, reason: input.reason.trim(), owner: principal.subject, now });
      await this.repo.bumpRevision(em);
      return s;
    });
    this.matcher.invalidate();
    return this.viewOf(principal, saved, now);
  }

  // Ends it now; ending an ended one answers it unchanged. A customer admin ends only its own
  // customer's; a global one (which it sees) is FORBIDDEN to it.
  async end(principal: Principal, id: string): Promise<SuppressionView> {
    authorize(principal, SuppressionsPermissions.manageSuppressions);
    const now = this.clock.now();
    const ended = await this.ds.transaction(async (em) => {
      const s = await this.repo.visibleById(em, scopeOf(principal), id, true);
      if (!s) throw new SuppressionError('SUPPRESSION_NOT_FOUND', `suppression ${id} not found`, 'id');
      if (s.customerId === null && !principal.isProvider) throw new AccessError('FORBIDDEN', `role ${principal.role} may not end global suppressions`);
      if (s.endedAt) return s;
      const e = await this.repo.end(em, s.id, principal.subject, now);
      await this.repo.bumpRevision(em);
      return e;
    });
    this.matcher.invalidate();
    return this.viewOf(principal, ended, now);
  }

  // Silenced alerts per suppression, counting the caller's customers' alerts only.
  async hitCounts(principal: Principal, ids: readonly string[]): Promise<Map<string, number>> {
    authorize(principal, SuppressionsPermissions.readSuppressions);
    const counts = await this.repo.hitCounts(scopeOf(principal), ids);
    return new Map(ids.map((id) => [id, counts.get(id) ?? 0]));
  }

  // The caller already read the suppression, so it may see it; the alerts are its customers' only.
  async suppressedAlerts(principal: Principal, suppressionId: string, first?: number, after?: string): Promise<ConnectionShape<SuppressedAlertView>> {
    authorize(principal, SuppressionsPermissions.readSuppressions);
    const size = pageSize({ first });
    const rows = await this.repo.suppressedAlerts(scopeOf(principal), suppressionId, size + 1, after ? decodeCursor(after) : undefined);
    const views = rows.map((r) => ({ alert: { __typename: 'Alert' as const, id: r.alertId }, customerId: r.customerId, suppressedAt: r.suppressedAt }));
    return pageOf(views, size, (v) => ({ sortKey: v.suppressedAt.toISOString(), id: v.alert.id }));
  }

  // Inside the verdict side's transaction: the alert is kept as silenced by the suppression, once
  // (redelivery records nothing more). No counter row is updated: a hot row every consumer
  // transaction locks would serialize the replicas; hits are counted from these rows when read.
  // Answers whether this call recorded it.
  recordHit(tx: EntityManager, suppressionId: string, alertId: string, customerId: string, at: Date = this.clock.now()): Promise<boolean> {
    return this.repo.recordHit(tx, { suppressionId, alertId, customerId, at });
  }

  private viewOf(principal: Principal, s: SuppressionEntity, now: Date): SuppressionView {
    // Tenants see a global suppression's reason and window, not how it matches or who made it.
    const hidden = s.customerId === null && !principal.isProvider;
    return {
      id: s.id,
      customerId: s.customerId,
      match: hidden ? null : s.conditions,
      from: s.startsAt,
      until: s.endsAt,
      reason: s.reason,
      owner: hidden ? null : s.owner,
      createdAt: s.createdAt,
      endedAt: s.endedAt,
      active: s.startsAt.getTime() <= now.getTime() && now.getTime() < s.endsAt.getTime(),
    };
  }
}

// Only the operator given is kept.
function conditionOf(c: SuppressionCondition): SuppressionCondition {
  const out: SuppressionCondition = { field: c.field };
  if (c.equals != null) out.equals = c.equals;
  if (c.contains != null) out.contains = c.contains;
  if (c.cidr != null) out.cidr = c.cidr.trim();
  if (c.in != null) out.in = c.in;
  return out;
}
