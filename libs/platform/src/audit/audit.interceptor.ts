import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Observable } from 'rxjs';
import { withAuditScope } from '@kanshi/observability';
import type { SubgraphContext } from '../subgraph';

// Runs each root resolver of an audited operation inside its AuditScope, so the transactions and
// outbox writes it makes know which request they belong to.
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const audit = GqlExecutionContext.create(context).getContext<SubgraphContext>()?.audit;
    if (!audit) return next.handle();
    return new Observable((subscriber) => withAuditScope(audit.scope, () => next.handle().subscribe(subscriber)));
  }
}
