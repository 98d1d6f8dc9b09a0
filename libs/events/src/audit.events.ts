import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { defineEvent } from './envelope';

// The kinds of GraphQL operation an audit entry records.
export const AUDITED_OPERATION_TYPES = ['query', 'mutation'] as const;
export type AuditedOperationType = (typeof AUDITED_OPERATION_TYPES)[number];

// One field the operation asked for at its root, with its arguments (secrets replaced by "[redacted]").
export class AuditedField {
  @IsString() @MaxLength(200) path: string;
  @IsObject() arguments: Record<string, unknown>;
}

// Provider staff or a partner read or changed a customer's data through a subgraph.
export class DataAccessRecordedBody {
  // The token's subject, its role and (for a partner) its partner id.
  @IsString() @MaxLength(200) actorId: string;
  @IsString() @MaxLength(40) actorRole: string;
  @IsOptional() @IsUUID() actorPartnerId: string | null;
  // The subgraph that served it (contracts, ingestion, ...).
  @IsString() @MaxLength(40) service: string;
  @IsIn(AUDITED_OPERATION_TYPES) operationType: AuditedOperationType;
  @IsOptional() @IsString() @MaxLength(200) operationName: string | null;
  @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => AuditedField) fields: AuditedField[];
  // Every type.field the operation resolved, e.g. "Alert.rawPayload" (at most 200).
  @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) fieldPaths: string[];
  // The customers whose data the operation read or changed.
  @IsArray() @ArrayMaxSize(1000) @IsUUID('all', { each: true }) customerIds: string[];
  // The caller's address as the gateway saw it (x-kanshi-client-ip), or the direct peer's.
  @IsOptional() @IsString() @MaxLength(64) clientIp: string | null;
  @IsISO8601() at: string;
}

// A contract ended and its log retention has passed: every service deletes the customer's data.
export class CustomerDataPurgeDueBody {
  @IsUUID() customerId: string;
  @IsUUID() contractId: string;
  @IsISO8601() contractEndedAt: string;
  @IsInt() @Min(0) retentionMonths: number;
}

export class PurgedTable {
  @IsString() @MaxLength(120) table: string;
  @IsInt() @Min(0) rows: number;
}

// One service deleted a customer's data for a purge (the purge-due event's id).
export class CustomerDataPurgedBody {
  @IsUUID() purgeEventId: string;
  @IsUUID() customerId: string;
  @IsString() @MaxLength(40) service: string;
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => PurgedTable) tables: PurgedTable[];
  @IsISO8601() purgedAt: string;
}

export const DataAccessRecorded = defineEvent('audit.data-access.recorded.v1', 'AUDIT', DataAccessRecordedBody);
export const CustomerDataPurgeDue = defineEvent('contracts.customer.data-purge-due.v1', 'CONTRACTS', CustomerDataPurgeDueBody);
export const CustomerDataPurged = defineEvent('audit.customer-data.purged.v1', 'AUDIT', CustomerDataPurgedBody);
