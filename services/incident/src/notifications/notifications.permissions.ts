import { definePermissions, ROLES } from '@kanshi/auth';

// Notifications are read by everyone who sees the incident (scoped to the tenant); call tasks are
// the SOC's own work.
export const NotificationsPermissions = definePermissions({
  readNotifications: { action: 'read notifications', roles: ROLES },
  readCallTasks: { action: 'read call tasks', roles: ['provider_admin', 'analyst', 'engineer'] },
  recordCallOutcome: { action: 'record call outcomes', roles: ['provider_admin', 'analyst', 'engineer'] },
});
