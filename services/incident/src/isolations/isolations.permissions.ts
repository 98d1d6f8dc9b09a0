import { definePermissions, ROLES } from '@kanshi/auth';

// Analysts request isolation and confirm releases; the customer's administrator approves an
// isolation (no prior agreement) and asks for the release. Everyone reads within their tenant.
export const IsolationsPermissions = definePermissions({
  readIsolations: { action: 'read isolations', roles: ROLES },
  requestIsolation: { action: 'request endpoint isolation', roles: ['provider_admin', 'analyst'] },
  approveIsolation: { action: 'approve endpoint isolation', roles: ['customer_admin'] },
  requestRelease: { action: 'ask for an isolation release', roles: ['customer_admin'] },
  confirmRelease: { action: 'confirm an isolation release', roles: ['provider_admin', 'analyst'] },
});
