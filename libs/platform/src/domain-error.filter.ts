import { ArgumentsHost, Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import { DomainError } from '@kanshi/errors';

// Domain errors are answers (BAD_USER_INPUT, NOT_FOUND, ...), not failures: hand them to the
// GraphQL error formatter as they are, without Nest logging each one as an error.
@Catch(DomainError)
export class DomainErrorFilter implements GqlExceptionFilter {
  catch(exception: DomainError, host: ArgumentsHost): DomainError {
    if (host.getType<string>() !== 'graphql') throw exception;
    return exception;
  }
}
