import { defineDomainErrors } from '@kanshi/errors';

export const RuleError = defineDomainErrors('RuleError', {
  // The rule's YAML is not a rule analysis can run: bad YAML, an unknown modifier or field, a bad
  // condition. The message starts with "<line>:<column>" of the offending place.
  INVALID_RULE: 'BAD_USER_INPUT',
  RULE_NOT_FOUND: 'NOT_FOUND',
  // Another rule already has the title.
  RULE_TITLE_TAKEN: 'CONFLICT',
});
