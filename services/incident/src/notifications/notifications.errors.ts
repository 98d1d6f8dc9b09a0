import { defineDomainErrors } from '@kanshi/errors';

export const NotificationError = defineDomainErrors('NotificationError', {
  CALL_TASK_NOT_FOUND: 'NOT_FOUND',
  // The task was closed (reached, acknowledged) before this outcome arrived.
  CALL_TASK_CLOSED: 'CONFLICT',
  CONTACT_NOT_ON_TASK: 'BAD_USER_INPUT',
});
