import { defineDomainErrors } from '@kanshi/errors';

// The isolation domain's own reasons (a wrong role is AccessError FORBIDDEN).
export const IsolationError = defineDomainErrors('IsolationError', {
  // A listing would hold more isolations than one answer may: narrow it by customer or active.
  TOO_MANY_ISOLATIONS: 'BAD_USER_INPUT',
});
