import { definePermissions } from '@kanshi/auth';

// Critical assets: provider staff for every customer, a customer's admin for its own.
export const AssetsPermissions = definePermissions({
  readCriticalAssets: { action: 'read critical assets', roles: ['provider_admin', 'analyst', 'engineer', 'customer_admin'] },
  markCriticalAssets: { action: 'mark critical assets', roles: ['provider_admin', 'analyst', 'engineer', 'customer_admin'] },
});
