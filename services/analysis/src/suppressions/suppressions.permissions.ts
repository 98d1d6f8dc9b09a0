import { definePermissions } from '@kanshi/auth';

// Everyone who sees alerts reads the suppressions that apply to their customers (their own and,
// reason and window only, the global ones). Analysts and provider admins create and end them for
// any customer or globally; a customer admin for its own customer only (the service scopes it).
export const SuppressionsPermissions = definePermissions({
  readSuppressions: { action: 'read suppressions', roles: ['provider_admin', 'analyst', 'engineer', 'partner_admin', 'customer_admin', 'customer_viewer'] },
  manageSuppressions: { action: 'create or end suppressions', roles: ['provider_admin', 'analyst', 'customer_admin'] },
});
