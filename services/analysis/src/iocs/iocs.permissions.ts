import { definePermissions } from '@kanshi/auth';

// Provider staff read every list; partners and customers read their own customers' lists (never
// global lists, never another tenant's). Analysts and provider admins import into any list; a
// customer admin imports into its own customer's lists only (the service scopes it).
export const IocsPermissions = definePermissions({
  readIocs: { action: 'read IOC lists', roles: ['provider_admin', 'analyst', 'engineer', 'partner_admin', 'customer_admin', 'customer_viewer'] },
  importIocs: { action: 'import IOCs', roles: ['provider_admin', 'analyst', 'customer_admin'] },
});
