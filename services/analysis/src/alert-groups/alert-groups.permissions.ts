import { definePermissions } from '@kanshi/auth';

// Everyone who sees alerts reads groups (scoped to their tenants); provider staff who triage close
// them. Sales sees no alerts.
export const AlertGroupsPermissions = definePermissions({
  readAlertGroups: { action: 'read alert groups', roles: ['provider_admin', 'analyst', 'engineer', 'partner_admin', 'customer_admin', 'customer_viewer'] },
  closeAlertGroups: { action: 'close alert groups', roles: ['provider_admin', 'analyst'] },
});
