import { IncidentOpened, IncidentResolved, IncidentSeverityConfirmed, IncidentSlaBreached, IncidentUpdated } from '@kanshi/events';

// The incident events a subscription can ask for, their `type` in the payload, and the event
// they come from.
export const WEBHOOK_EVENT_TYPES = ['INCIDENT_OPENED', 'INCIDENT_UPDATED', 'SEVERITY_CONFIRMED', 'INCIDENT_RESOLVED', 'SLA_BREACHED'] as const;
export type WebhookEventTypeValue = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WEBHOOK_EVENTS = {
  INCIDENT_OPENED: { type: 'incident.opened', event: IncidentOpened },
  INCIDENT_UPDATED: { type: 'incident.updated', event: IncidentUpdated },
  SEVERITY_CONFIRMED: { type: 'incident.severity_confirmed', event: IncidentSeverityConfirmed },
  INCIDENT_RESOLVED: { type: 'incident.resolved', event: IncidentResolved },
  SLA_BREACHED: { type: 'incident.sla_breached', event: IncidentSlaBreached },
} as const;
export const WEBHOOK_OWNER_KINDS = ['CUSTOMER', 'PARTNER', 'PROVIDER'] as const;
export type WebhookOwnerKindValue = (typeof WEBHOOK_OWNER_KINDS)[number];
export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'RETRYING', 'SUCCEEDED', 'FAILED'] as const;
export type WebhookDeliveryStatusValue = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
