import { definePermissions, ROLES } from '@kanshi/auth';

// Verdicts: everyone reads those on the alerts they may see; analysts and provider admins override.
export const VerdictsPermissions = definePermissions({
  readVerdicts: { action: 'read verdicts', roles: ROLES },
  overrideVerdicts: { action: 'override verdicts', roles: ['provider_admin', 'analyst'] },
});
