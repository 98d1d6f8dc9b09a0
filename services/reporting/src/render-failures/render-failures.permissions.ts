import { definePermissions, PROVIDER_ROLES } from '@kanshi/auth';

// Renders that failed are the SOC's to look at; tenants never see them.
export const RenderFailuresPermissions = definePermissions({
  readRenderFailures: { action: 'read failed report renders', roles: PROVIDER_ROLES },
});
