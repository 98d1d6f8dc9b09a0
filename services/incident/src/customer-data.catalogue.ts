import { defineCustomerData } from '@kanshi/platform';

const INCIDENTS = `incident_id IN (SELECT id FROM incident.incident WHERE customer_id = $1)`;

// What incident deletes of a customer when its contract's retention has passed (children first).
export const INCIDENT_CUSTOMER_DATA = defineCustomerData({
  purge: [
    { table: 'incident.voice_call', where: `call_task_id IN (SELECT id FROM incident.call_task WHERE customer_id = $1)` },
    { table: 'incident.call_task' },
    { table: 'incident.notification_context', where: INCIDENTS },
    { table: 'incident.notification' },
    { table: 'incident.timeline_entry', where: INCIDENTS },
    { table: 'incident.sla_pause', where: INCIDENTS },
    { table: 'incident.incident_verdict', where: INCIDENTS },
    { table: 'incident.isolation_hint', where: INCIDENTS },
    { table: 'incident.analysis_report_request', where: INCIDENTS },
    { table: 'incident.low_verdict' },
    { table: 'incident.isolation' },
    { table: 'incident.webhook_delivery' },
    { table: 'incident.webhook_subscription' },
    { table: 'incident.maintenance_window' },
    { table: 'incident.work_order' },
    { table: 'incident.endpoint' },
    { table: 'incident.sensor' },
    { table: 'incident.customer_terms' },
    { table: 'incident.incident' },
    { table: 'incident.tenant_customer' },
  ],
  keep: {},
});
