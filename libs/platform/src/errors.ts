import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { BadRequestException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createLogger } from '@kanshi/observability';
import { DomainError } from '@kanshi/errors';

const log = createLogger('GraphQLErrors');

// One place where errors become GraphQL errors: known ones keep their code and field, anything
// unexpected is logged once with an errorId that the caller can quote to support.
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof DomainError) {
    return {
      message: original.message,
      path: formatted.path,
      extensions: { code: original.kind, ...(original.field ? { field: original.field } : {}), ...(original.code ? { reason: original.code } : {}) },
    };
  }
  if (original instanceof BadRequestException) {
    const response = original.getResponse() as { message?: string | string[] };
    const messages = Array.isArray(response.message) ? response.message : [response.message ?? original.message];
    return { message: messages.join('; '), path: formatted.path, extensions: { code: 'BAD_USER_INPUT', fields: messages.map((m) => String(m).split(' ')[0]) } };
  }
  const code = formatted.extensions?.code;
  if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  const errorId = randomUUID();
  log.error({ err: original, errorId, path: formatted.path }, 'unexpected error in GraphQL operation');
  return { message: `Internal error (errorId ${errorId})`, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } };
}
