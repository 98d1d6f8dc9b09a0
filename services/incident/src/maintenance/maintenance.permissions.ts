import { definePermissions, ROLES } from '@kanshi/auth';

// The provider's staff plan maintenance and record the work (engineers do it); everyone reads
// within their tenant (a customer its own windows and work orders, a partner its customers').
export const MaintenancePermissions = definePermissions({
  readMaintenance: { action: 'read maintenance windows and work orders', roles: ROLES },
  manageMaintenance: { action: 'plan maintenance windows and record work orders', roles: ['provider_admin', 'analyst', 'engineer'] },
});
