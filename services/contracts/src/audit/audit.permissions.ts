import { definePermissions } from '@kanshi/auth';

// Who may read the audit trail: the provider's administrators everything, a customer's
// administrator the entries about its own customer. What each service deleted: the provider only.
export const AuditPermissions = definePermissions({
  readAuditTrail: { action: 'read the audit trail', roles: ['provider_admin', 'customer_admin'] },
  readDataPurges: { action: 'read data purges', roles: ['provider_admin'] },
});
