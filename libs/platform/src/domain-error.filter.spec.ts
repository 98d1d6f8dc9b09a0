import type { ArgumentsHost } from '@nestjs/common';
import { DomainError } from '@kanshi/errors';
import { DomainErrorFilter } from './domain-error.filter';

const host = (type: string) => ({ getType: () => type }) as unknown as ArgumentsHost;

describe('DomainErrorFilter', () => {
  const err = new DomainError('BAD_USER_INPUT', 'timeZone "Mars/Olympus" is not an IANA time zone', 'timeZone');

  it('hands a domain error of a GraphQL operation to the error formatter as it is (an answer, not a failure to log)', () => {
    expect(new DomainErrorFilter().catch(err, host('graphql'))).toBe(err);
  });

  it('leaves other transports to their own handling', () => {
    expect(() => new DomainErrorFilter().catch(err, host('http'))).toThrow(err);
  });
});
