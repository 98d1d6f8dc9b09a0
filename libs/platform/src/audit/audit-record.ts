import { randomUUID } from 'node:crypto';
import { AuditedField, DataAccessRecorded, DataAccessRecordedBody } from '@kanshi/events';
import { Principal } from '@kanshi/auth';
import { AuditScope, currentCorrelationId } from '@kanshi/observability';

// Argument names whose values never reach the audit trail.
const SECRET = /pass(word)?|secret|token|api[-_]?key|credential|private[-_]?key|authorization/i;
const MAX_FIELD_PATHS = 200;
const MAX_ROOT_FIELDS = 50;

// Arguments as the audit keeps them: secrets replaced, long strings cut, depth bounded.
export function redactArguments(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string') return value.length > 500 ? `${value.slice(0, 500)}…` : value;
  if (typeof value !== 'object') return value;
  if (depth >= 5) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactArguments(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = SECRET.test(k) ? '[redacted]' : redactArguments(v, depth + 1);
  return out;
}

// The customer ids an argument names: `customerId`, `customerIds`, at any depth (inputs, filters).
export function noteArgumentCustomers(scope: AuditScope, value: unknown, depth = 0): void {
  if (!value || typeof value !== 'object' || depth > 5) return;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 1000)) noteArgumentCustomers(scope, v, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'customerId') scope.noteCustomer(v);
    else if (k === 'customerIds' && Array.isArray(v)) v.forEach((id) => scope.noteCustomer(id));
    else noteArgumentCustomers(scope, v, depth + 1);
  }
}

// Who is audited: provider staff and partners. A customer reading its own data is not.
export function isAuditedActor(principal: Principal | undefined): principal is Principal {
  return !!principal && (principal.isProvider || principal.isPartner);
}

// Everything one operation leaves in the trail, collected while it runs.
export class AuditRequest {
  readonly fields: AuditedField[] = [];
  readonly fieldPaths = new Set<string>();

  constructor(
    readonly scope: AuditScope,
    readonly principal: Principal,
    readonly clientIp: string | null,
  ) {}

  operationName: string | null = null;

  rootField(path: string, args: Record<string, unknown>): void {
    if (this.fields.length < MAX_ROOT_FIELDS) this.fields.push({ path, arguments: redactArguments(args) as Record<string, unknown> });
  }

  fieldPath(coordinate: string): void {
    if (this.fieldPaths.size < MAX_FIELD_PATHS) this.fieldPaths.add(coordinate);
  }

  body(service: string): DataAccessRecordedBody {
    return {
      actorId: this.principal.subject,
      actorRole: this.principal.role,
      actorPartnerId: this.principal.partnerId,
      service,
      operationType: this.scope.operationType ?? 'query',
      operationName: this.operationName,
      fields: this.fields,
      fieldPaths: [...this.fieldPaths],
      customerIds: [...this.scope.customerIds].sort(),
      clientIp: this.clientIp,
      at: new Date().toISOString(),
    };
  }

  // The envelope as the outbox would write it, for a direct publish.
  envelope(service: string): { eventId: string; json: string } {
    const eventId = randomUUID();
    const customerIds = [...this.scope.customerIds];
    const envelope = {
      eventId,
      subject: DataAccessRecorded.subject,
      occurredAt: new Date().toISOString(),
      customerId: customerIds.length === 1 ? customerIds[0] : null,
      correlationId: currentCorrelationId(),
      body: this.body(service),
    };
    return { eventId, json: JSON.stringify(envelope) };
  }
}

// The client address: what the gateway forwarded, else the direct peer (an operator's call).
export const CLIENT_IP_HEADER = 'x-kanshi-client-ip';
export function clientIpOf(req: { headers?: Record<string, string | string[] | undefined>; ip?: string }): string | null {
  const forwarded = req.headers?.[CLIENT_IP_HEADER];
  if (typeof forwarded === 'string' && /^[0-9a-fA-F.:]{2,64}$/.test(forwarded.trim())) return forwarded.trim();
  return typeof req.ip === 'string' && req.ip ? req.ip.slice(0, 64) : null;
}
