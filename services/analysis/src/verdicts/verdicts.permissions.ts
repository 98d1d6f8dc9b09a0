import { definePermissions } from '@kanshi/auth';

// Verdicts: everyone who reads alerts reads those on the alerts they may see (not sales, which
// reads no alerts); analysts and provider admins override.
export const VerdictsPermissions = definePermissions({
  readVerdicts: { action: 'read verdicts', roles: ['provider_admin', 'analyst', 'engineer', 'partner_admin', 'customer_admin', 'customer_viewer'] },
  overrideVerdicts: { action: 'override verdicts', roles: ['provider_admin', 'analyst'] },
});
