import { SocSeverity } from '@kanshi/events';
import { AlertGroupStatusValue } from './alert-group-statuses';

// A group of related alerts of one customer, as read (the repository maps rows by hand: status
// is computed from the stored status and the window).
export class AlertGroupEntity {
  id: string;
  customerId: string;
  status: AlertGroupStatusValue;
  severity: SocSeverity | null;
  title: string;
  vendorGroupKey: string | null;
  ruleKeys: string[];
  hosts: string[];
  iocValues: string[];
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastAlertAt: Date;
  alertCount: number;
  closedAt: Date | null;
  closedBy: string | null;
  createdAt: Date;
}
