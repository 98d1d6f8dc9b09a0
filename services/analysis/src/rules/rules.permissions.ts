import { definePermissions } from '@kanshi/auth';

// Who may do what with detection rules: provider staff only; tenants never see rules.
export const RulesPermissions = definePermissions({
  readRules: { action: 'read detection rules', roles: ['provider_admin', 'analyst', 'engineer'] },
  createRules: { action: 'create detection rules', roles: ['provider_admin', 'analyst'] },
  updateRules: { action: 'change detection rules', roles: ['provider_admin', 'analyst'] },
  testRules: { action: 'test detection rules', roles: ['provider_admin', 'analyst', 'engineer'] },
});
