import { registerEnumType } from '@nestjs/graphql';

// Who may read a timeline entry: CUSTOMER entries are shown to the customer and its partner (and
// go out in incident.incident.updated.v1, hence to webhooks and the analysis report); INTERNAL
// ones only to the provider's staff.
export const TIMELINE_VISIBILITIES = ['INTERNAL', 'CUSTOMER'] as const;
export type TimelineVisibility = (typeof TIMELINE_VISIBILITIES)[number];

// Kinds that are the SOC's own work unless the writer says otherwise: who is assigned, escalations
// between tiers, findings drafts (the customer gets them in the approved report), and staff comments
// (a staff comment is INTERNAL unless marked for the customer; a customer's is always CUSTOMER).
export const INTERNAL_KINDS: readonly string[] = ['ASSIGNMENT', 'ESCALATION', 'FINDINGS', 'COMMENT'];

export const defaultVisibility = (kind: string): TimelineVisibility => (INTERNAL_KINDS.includes(kind) ? 'INTERNAL' : 'CUSTOMER');

export const TimelineVisibilityEnum = Object.fromEntries(TIMELINE_VISIBILITIES.map((v) => [v, v])) as { [K in TimelineVisibility]: K };
registerEnumType(TimelineVisibilityEnum, {
  name: 'TimelineVisibility',
  description: 'Who may read a timeline entry',
  valuesMap: {
    INTERNAL: { description: 'The provider’s staff only (analysts’ comments by default, assignment, escalation, findings drafts)' },
    CUSTOMER: { description: 'Also the customer and its partner (status, notifications, SLA, the customer’s comments, comments marked for the customer)' },
  },
});
