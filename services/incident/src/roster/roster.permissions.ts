import { definePermissions } from '@kanshi/auth';

// The roster is the provider's own: staff read it, provider_admin keeps it.
export const RosterPermissions = definePermissions({
  readRoster: { action: 'read the duty roster', roles: ['provider_admin', 'analyst', 'engineer'] },
  manageRoster: { action: 'manage the duty roster', roles: ['provider_admin'] },
});
