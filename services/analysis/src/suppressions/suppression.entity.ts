import { SuppressionCondition } from './suppression-conditions';

// A rule silencing known noise for a time window (global when customerId is null), as read; the
// repository maps rows by hand.
export class SuppressionEntity {
  id: string;
  customerId: string | null;
  conditions: SuppressionCondition[];
  startsAt: Date;
  endsAt: Date;
  reason: string;
  owner: string;
  createdAt: Date;
  endedAt: Date | null;
  endedBy: string | null;
}
