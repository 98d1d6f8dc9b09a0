import { definePermissions } from '@kanshi/auth';

// Staff (re)generate analysis reports; a customer's or partner's admin may have one made of an
// incident it can see (another tenant's incident reads as missing).
export const AnalysisReportsPermissions = definePermissions({
  generateAnalysisReport: { action: 'generate analysis reports', roles: ['provider_admin', 'analyst', 'partner_admin', 'customer_admin'] },
});
