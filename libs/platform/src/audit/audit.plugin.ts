import { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { GraphQLError, GraphQLResolveInfo } from 'graphql';
import { NatsBus } from '@kanshi/messaging';
import { counter, createLogger } from '@kanshi/observability';
import { DataAccessRecorded } from '@kanshi/events';
import type { SubgraphContext } from '../subgraph';
import { AuditRequest, noteArgumentCustomers } from './audit-record';

const log = createLogger('audit');
const entries = counter('kanshi_audit_entries_total', 'Audit entries of provider staff and partner operations', ['service', 'via', 'outcome']);

export interface AuditPluginOptions {
  service: string;
  bus: NatsBus;
  // Test hook: replaces the JetStream publish.
  publish?: (subject: string, json: string, eventId: string) => Promise<void>;
}

// Notes, for an operation by provider staff or a partner, which customers' data it touched: the
// `customerId` of every object a field is resolved on (entities carry it whether or not the query
// selected it), a Customer's id, customer ids in arguments and in `_entities` representations.
function noteField(audit: AuditRequest, source: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo): void {
  const scope = audit.scope;
  const parent = info.parentType.name;
  if (source && typeof source === 'object') {
    const s = source as Record<string, unknown>;
    if ('customerId' in s) scope.noteCustomer(s.customerId);
    else if ('customer_id' in s) scope.noteCustomer(s.customer_id);
    if (parent === 'Customer') scope.noteCustomer(s.id);
  }
  audit.fieldPath(`${parent}.${info.fieldName}`);
  if (info.path.prev === undefined) {
    audit.rootField(info.fieldName, args);
    if (info.fieldName === '_entities' && Array.isArray(args.representations)) {
      for (const r of args.representations as Record<string, unknown>[]) {
        if (r?.__typename === 'Customer') scope.noteCustomer(r.id);
        else scope.noteCustomer(r?.customerId);
      }
    } else noteArgumentCustomers(scope, args);
  }
}

export const AUDIT_UNAVAILABLE_MESSAGE = 'the audit trail cannot be written right now; nothing was served, try again';

// Every operation of provider staff or a partner that touched a customer's data leaves an
// `audit.data-access.recorded.v1`: a change in the outbox within its own transaction (see
// auditTransactions), a read published to JetStream before the answer leaves. When the entry
// cannot be written the answer is SERVICE_UNAVAILABLE: no customer data leaves unaudited.
export function auditPlugin(opts: AuditPluginOptions): ApolloServerPlugin<SubgraphContext> {
  const publish = opts.publish ?? (async (subject: string, json: string, eventId: string) => {
    await opts.bus.js.publish(opts.bus.subjectOf(subject), json, { msgID: eventId, timeout: 5000 });
  });
  return {
    async requestDidStart(start) {
      const audit = start.contextValue.audit;
      if (!audit) return;
      return {
        async didResolveOperation(rc) {
          const op = rc.operation?.operation;
          audit.scope.operationType = op === 'query' || op === 'mutation' ? op : null;
          audit.operationName = rc.operationName ?? rc.operation?.name?.value ?? null;
        },
        async executionDidStart() {
          if (!audit.scope.operationType) return;
          return {
            willResolveField({ source, args, info }) {
              noteField(audit, source, args as Record<string, unknown>, info);
            },
          };
        },
        async willSendResponse(rc: GraphQLRequestContextWillSendResponse<SubgraphContext>) {
          // Nothing about a customer, or every customer touched is in the entry the change committed.
          if (!audit.scope.operationType || !audit.scope.hasUnrecorded) return;
          const { eventId, json } = audit.envelope(opts.service);
          try {
            await publish(DataAccessRecorded.subject, json, eventId);
            entries.inc({ service: opts.service, via: 'publish', outcome: 'written' });
          } catch (err) {
            entries.inc({ service: opts.service, via: 'publish', outcome: 'failed' });
            log.error({ err, actor: audit.principal.subject, operation: audit.operationName }, 'audit entry not written: the answer is withheld');
            if (rc.response.body.kind === 'single') {
              rc.response.body.singleResult = { errors: [new GraphQLError(AUDIT_UNAVAILABLE_MESSAGE, { extensions: { code: 'SERVICE_UNAVAILABLE' } }).toJSON()] };
              rc.response.http.status = 503;
            }
          }
        },
      };
    },
  };
}
