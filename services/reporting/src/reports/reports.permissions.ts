import { definePermissions, ROLES } from '@kanshi/auth';

// Who may do what with reports. Reading is open to every role within its tenant scope.
export const ReportsPermissions = definePermissions({
  readReports: { action: 'read reports', roles: ROLES },
});
