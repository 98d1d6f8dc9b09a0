import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, IsolationStatusValue } from '@kanshi/events';
import { ISOLATION_LOG_KINDS, IsolationLogKindValue } from './isolation-log-kinds';
import { IsolationStatus } from './isolation.object';

const KIND_MEANINGS: Record<IsolationLogKindValue, string> = {
  STATE: 'The isolation changed status',
  VENDOR: 'One request to the EDR’s API and its answer (secrets removed)',
  NOTE: 'Something else worth knowing (a shared containment, a retry, a refused command)',
};
export const IsolationLogKind = enumOf(ISOLATION_LOG_KINDS);
registerEnumType(IsolationLogKind, {
  name: 'IsolationLogKind',
  description: 'What an isolation log line records',
  valuesMap: Object.fromEntries(ISOLATION_LOG_KINDS.map((k) => [k, { description: KIND_MEANINGS[k] }])),
});

@ObjectType('IsolationLogEntry', { description: 'One line of an isolation’s log' })
export class IsolationLogEntryObject {
  @Field({ description: 'When' }) at: Date;
  @Field(() => IsolationLogKind, { description: 'What the line records' }) kind: IsolationLogKindValue;
  @Field({ description: 'Who: the user who asked, or system:endpoint-response' }) actor: string;
  @Field(() => IsolationStatus, { nullable: true, description: 'The status entered (STATE lines)' }) status?: IsolationStatusValue;
  @Field({ description: 'What happened, or an excerpt of the EDR’s answer' }) text: string;
  @Field({ nullable: true, description: 'HTTP method of the EDR request (VENDOR lines)' }) method?: string;
  @Field({ nullable: true, description: 'Path of the EDR request, without secrets (VENDOR lines)' }) path?: string;
  @Field(() => Int, { nullable: true, description: 'HTTP status the EDR answered; null when it did not answer' }) httpStatus?: number;
  @Field(() => Int, { nullable: true, description: 'How long the EDR took, in milliseconds' }) durationMs?: number;
}
