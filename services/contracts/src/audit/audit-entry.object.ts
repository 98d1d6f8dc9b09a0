import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { AUDITED_OPERATION_TYPES, AuditedOperationType, upperEnumOf } from '@kanshi/events';
import { connectionOf } from '@kanshi/platform';

export const AuditedOperation = upperEnumOf(AUDITED_OPERATION_TYPES);
registerEnumType(AuditedOperation, {
  name: 'AuditedOperation',
  description: 'Whether the audited operation read or changed data',
  valuesMap: { QUERY: { description: 'A read' }, MUTATION: { description: 'A change' } },
});

@ObjectType('AuditedField', { description: 'A field the operation asked for at its root, with its arguments (secrets redacted)' })
export class AuditedFieldObject {
  @Field({ description: 'The root field, e.g. alerts' }) path: string;
  @Field(() => GraphQLJSON, { description: 'Its arguments; values of secret-looking names are "[redacted]"' }) arguments: Record<string, unknown>;
}

@ObjectType('AuditEntry', { description: 'One read or change of customer data by provider staff or a partner' })
export class AuditEntryObject {
  @Field(() => ID, { description: 'The entry (the id of the event that recorded it)' }) id: string;
  @Field({ description: 'When the operation was served' }) at: Date;
  @Field({ description: 'Who: the token subject' }) actorId: string;
  @Field({ description: 'The role the person acted in' }) actorRole: string;
  @Field(() => ID, { nullable: true, description: 'The partner the person acted for, for a partner role' }) actorPartnerId: string | null;
  @Field({ description: 'The service that served it' }) service: string;
  @Field(() => AuditedOperation, { description: 'A read or a change' }) operationType: AuditedOperationType;
  @Field(() => String, { nullable: true, description: 'The GraphQL operation name the client gave' }) operationName: string | null;
  @Field(() => [AuditedFieldObject], { description: 'What was asked for at the root, with arguments' }) fields: AuditedFieldObject[];
  @Field(() => [String], { description: 'Every Type.field the operation resolved, e.g. Alert.rawPayload' }) fieldPaths: string[];
  @Field(() => [ID], { description: 'The customers whose data it touched (for a customer administrator: only its own id is shown)' }) customerIds: string[];
  @Field(() => String, { nullable: true, description: 'From where: the client address as the gateway saw it' }) clientIp: string | null;
}

export const AuditEntryConnection = connectionOf(AuditEntryObject, 'AuditEntry');
