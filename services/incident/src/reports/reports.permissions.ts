import { definePermissions } from '@kanshi/auth';

// Analysts ask reporting for analysis reports; a tier-2 analyst approves the detailed one, which
// is then mailed to the customer's contacts.
export const ReportsPermissions = definePermissions({
  requestReports: { action: 'request analysis reports', roles: ['provider_admin', 'analyst'] },
  approveReports: { action: 'approve detailed analysis reports', roles: ['analyst'] },
});
