import { definePermissions } from '@kanshi/auth';

// EDR connectors are provider staff's business: engineers configure and test them, analysts read
// their health; customers and partners never see them.
export const ConnectorsPermissions = definePermissions({
  readConnectors: { action: 'read EDR connectors', roles: ['provider_admin', 'engineer', 'analyst'] },
  configureConnectors: { action: 'configure EDR connectors', roles: ['provider_admin', 'engineer'] },
  testConnectors: { action: 'test EDR connectors', roles: ['provider_admin', 'engineer'] },
});
