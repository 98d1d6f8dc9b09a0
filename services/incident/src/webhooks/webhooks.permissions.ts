import { definePermissions } from '@kanshi/auth';

// Customers subscribe for their own incidents, partners for their customers', provider staff for any.
export const WebhooksPermissions = definePermissions({
  readWebhooks: { action: 'read webhook subscriptions', roles: ['provider_admin', 'analyst', 'engineer', 'partner_admin', 'customer_admin'] },
  manageWebhooks: { action: 'manage webhook subscriptions', roles: ['provider_admin', 'partner_admin', 'customer_admin'] },
});
