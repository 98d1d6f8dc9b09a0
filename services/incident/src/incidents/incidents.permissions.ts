import { definePermissions, ROLES } from '@kanshi/auth';

// Who may do what with incidents. Reading is open to every role; what each sees is its tenant scope.
export const IncidentsPermissions = definePermissions({
  readIncidents: { action: 'read incidents', roles: ROLES },
  openIncidents: { action: 'open incidents', roles: ['provider_admin', 'analyst', 'engineer'] },
});
