// The grouping decision, apart from the database so it can be read and tested on its own: which
// open group (if any) an alert joins. The repository supplies the candidates (the customer's open
// groups sharing the vendor key, a host or an IOC value); this picks one.
import { canonicalIp } from '../iocs/ioc-values';
import type { AlertGroupEntity } from './alert-group.entity';

// What the verdict side knows about an alert when it asks for its group.
export interface AlertGroupInput {
  alertId: string;
  customerId: string;
  sensorId: string;
  product: string;
  // The best rule identity: the matched detection rule's id, else the vendor's rule name.
  ruleKey: string | null;
  // The vendor's grouping key (incident serial, detection id, ...), from the alert event.
  vendorGroupKey: string | null;
  hostName: string | null;
  hostIp: string | null;
  // Normalized indicator values the alert hit.
  iocValues: string[];
  occurredAt: Date;
  // The title a new group gets; by default "<product>: <ruleKey> on <host>".
  title?: string;
}

// How an alert came to be in its group.
export const GROUP_JOIN_REASONS = ['NEW', 'ALREADY_MEMBER', 'VENDOR_KEY', 'RULE_AND_HOST', 'SHARED_HOST', 'SHARED_IOC'] as const;
export type GroupJoinReason = (typeof GROUP_JOIN_REASONS)[number];

export interface GroupAssignment {
  groupId: string;
  // true when this call created the group (never for a redelivered alert).
  isNew: boolean;
  joinedBy: GroupJoinReason;
}

// An open group as the decision needs it.
// (lastAlertAt: when an alert last joined, by the service's clock; the group closes a window after it.)
export type CandidateGroup = Pick<AlertGroupEntity, 'id' | 'vendorGroupKey' | 'ruleKeys' | 'hosts' | 'iocValues' | 'firstSeenAt' | 'lastSeenAt' | 'lastAlertAt'>;

// Caps on what a group lists, so a beaconing group over a thousand hosts stays a small row; the
// alert count and membership are never capped.
export const MAX_GROUP_HOSTS = 200;
export const MAX_GROUP_IOCS = 200;
export const MAX_GROUP_RULE_KEYS = 50;

// A host as groups compare it: the lower-case name and the canonical IP, either or both.
export function hostIdsOf(input: Pick<AlertGroupInput, 'hostName' | 'hostIp'>): string[] {
  const ids: string[] = [];
  const name = input.hostName?.trim().toLowerCase();
  if (name) ids.push(name);
  const ip = input.hostIp ? (canonicalIp(input.hostIp) ?? input.hostIp.trim().toLowerCase()) : '';
  if (ip && !ids.includes(ip)) ids.push(ip);
  return ids;
}

export function iocValuesOf(input: Pick<AlertGroupInput, 'iocValues'>): string[] {
  return [...new Set(input.iocValues.map((v) => v.trim()).filter((v) => v.length > 0))];
}

export function titleOf(input: AlertGroupInput): string {
  if (input.title?.trim()) return input.title.trim().slice(0, 500);
  const host = input.hostName?.trim() || input.hostIp?.trim() || 'an unknown host';
  return `${input.product}: ${input.ruleKey ?? 'alert'} on ${host}`.slice(0, 500);
}

// The advisory-lock keys an assignment takes before it reads: every key it could group by, so two
// replicas assigning related alerts at once take turns. The alert's own key guards redelivery of
// an alert that has nothing to group by.
export function lockKeysOf(input: AlertGroupInput): string[] {
  const c = input.customerId;
  const keys = [`a:${input.alertId}`];
  if (input.vendorGroupKey) keys.push(`${c}|v:${input.vendorGroupKey}`);
  for (const h of hostIdsOf(input)) keys.push(`${c}|h:${h}`);
  for (const v of iocValuesOf(input)) keys.push(`${c}|i:${v}`);
  return keys;
}

export function isOpen(group: Pick<CandidateGroup, 'lastAlertAt'>, now: Date, windowMs: number): boolean {
  return group.lastAlertAt.getTime() > now.getTime() - windowMs;
}

// The rules, in order: the vendor's grouping key wins; else the same rule on the same host within
// the window (alert time); else the most recently active open group sharing a host or an IOC
// value. A group holding another vendor key is never joined: the vendor said they differ.
export function chooseGroup(input: AlertGroupInput, candidates: CandidateGroup[], now: Date, windowMs: number): { group: CandidateGroup; joinedBy: GroupJoinReason } | null {
  const open = candidates.filter((g) => isOpen(g, now, windowMs)).sort((a, b) => b.lastAlertAt.getTime() - a.lastAlertAt.getTime());
  const vendorKey = input.vendorGroupKey || null;
  if (vendorKey) {
    const byKey = open.find((g) => g.vendorGroupKey === vendorKey);
    if (byKey) return { group: byKey, joinedBy: 'VENDOR_KEY' };
  }
  const compatible = open.filter((g) => g.vendorGroupKey === null || vendorKey === null || g.vendorGroupKey === vendorKey);
  const hosts = hostIdsOf(input);
  const at = input.occurredAt.getTime();
  if (input.ruleKey && hosts.length) {
    const byRule = compatible.find(
      (g) => g.ruleKeys.includes(input.ruleKey!) && hosts.some((h) => g.hosts.includes(h)) && at >= g.firstSeenAt.getTime() - windowMs && at <= g.lastSeenAt.getTime() + windowMs,
    );
    if (byRule) return { group: byRule, joinedBy: 'RULE_AND_HOST' };
  }
  const iocs = iocValuesOf(input);
  for (const g of compatible) {
    if (hosts.some((h) => g.hosts.includes(h))) return { group: g, joinedBy: 'SHARED_HOST' };
    if (iocs.some((v) => g.iocValues.includes(v))) return { group: g, joinedBy: 'SHARED_IOC' };
  }
  return null;
}
