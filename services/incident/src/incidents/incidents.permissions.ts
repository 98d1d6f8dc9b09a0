import { definePermissions, ROLES } from '@kanshi/auth';

// Who may do what with incidents. Reading is open to every role; what each sees is its tenant scope.
// Partners only read their customers' incidents; customers read, acknowledge and comment on theirs.
export const IncidentsPermissions = definePermissions({
  // Sales reads incidents (open decision, docs/security.md "Role matrix"), but not their alerts.
  readIncidents: { action: 'read incidents', roles: ROLES },
  readIncidentAlerts: { action: "read an incident's alerts", roles: ['provider_admin', 'analyst', 'engineer', 'partner_admin', 'customer_admin', 'customer_viewer'] },
  openIncidents: { action: 'open incidents', roles: ['provider_admin', 'analyst', 'engineer'] },
  confirmSeverity: { action: 'confirm incident severity', roles: ['provider_admin', 'analyst'] },
  workIncidents: { action: 'work on incidents', roles: ['provider_admin', 'analyst', 'engineer'] },
  writeFindings: { action: 'write incident findings', roles: ['provider_admin', 'analyst'] },
  mergeIncidents: { action: 'merge incidents', roles: ['provider_admin', 'analyst'] },
  commentIncidents: { action: 'comment on incidents', roles: ['provider_admin', 'analyst', 'engineer', 'customer_admin', 'customer_viewer'] },
  acknowledgeIncidents: { action: 'acknowledge incidents', roles: ['customer_admin', 'customer_viewer'] },
});
