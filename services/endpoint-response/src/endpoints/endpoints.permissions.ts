import { definePermissions, ROLES } from '@kanshi/auth';

// Who may do what with managed endpoints. Reading is open to every role within its tenant scope.
export const EndpointsPermissions = definePermissions({
  readEndpoints: { action: 'read endpoints', roles: ROLES },
  registerEndpoints: { action: 'register endpoints', roles: ['provider_admin', 'engineer'] },
});
