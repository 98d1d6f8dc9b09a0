import { SocSeverity } from '@kanshi/events';

// The core's lifecycle hook hands this over when an incident's severity is decided (an automatic
// verdict, an analyst's confirmSeverity, a raised severity): what the customer is told.
export interface SeverityDecision {
  incidentId: string;
  customerId: string;
  severity: SocSeverity;
  decidedAt: Date;
  // 'system' for an automatic verdict, else the analyst's subject.
  decidedBy: string;
  title: string;
  // The verdict's reasons and recommended actions, in both languages.
  reasons: { text: string; textJa: string }[];
  actions: { text: string; textJa: string }[];
  // Hosts involved (names or addresses), for the mail and the call script.
  hosts: string[];
}
