import { defineDomainErrors } from '@kanshi/errors';

export const WebhookError = defineDomainErrors('WebhookError', {
  // Missing, or another tenant's.
  WEBHOOK_SUBSCRIPTION_NOT_FOUND: 'NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FOUND: 'NOT_FOUND',
  // Not https, not public, not resolvable.
  WEBHOOK_DESTINATION_REFUSED: 'BAD_USER_INPUT',
});
