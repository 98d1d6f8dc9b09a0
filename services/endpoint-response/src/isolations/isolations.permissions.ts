import { definePermissions, ROLES } from '@kanshi/auth';

// Who may read isolations (every role, within its tenant scope) and the EDR connectors' health
// (provider staff, who fix refused credentials).
export const IsolationsPermissions = definePermissions({
  readIsolations: { action: 'read isolations', roles: ROLES },
  readConnectorHealth: { action: 'read EDR connector health', roles: ['provider_admin', 'engineer', 'analyst'] },
});
