import { definePermissions } from '@kanshi/auth';

// Staff, and a customer's or partner's admin for a customer it can see, have a monthly report made.
export const MonthlyReportsPermissions = definePermissions({
  generateMonthlyReport: { action: 'generate monthly reports', roles: ['provider_admin', 'analyst', 'partner_admin', 'customer_admin'] },
});
