import { defineDomainErrors } from '@kanshi/errors';

export const RosterError = defineDomainErrors('RosterError', {
  SHIFT_NOT_FOUND: 'NOT_FOUND',
  BAD_PERIOD: 'BAD_USER_INPUT',
});
