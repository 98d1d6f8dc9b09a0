import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, SocSeverity } from '@kanshi/events';
import { SocSeverityEnum } from '@kanshi/platform';
import { CallContactObject } from './call-contact.object';
import { CallLogEntryObject } from './call-log-entry.object';
import { CALL_TASK_REASONS, CALL_TASK_STATUSES, CallTaskReasonValue, CallTaskStatusValue } from './notification-kinds';

export const CallTaskStatus = enumOf(CALL_TASK_STATUSES);
registerEnumType(CallTaskStatus, {
  name: 'CallTaskStatus',
  description: 'Where a call task is',
  valuesMap: {
    OPEN: { description: 'Calling: the current contact, the next one when it is due' },
    REACHED: { description: 'Someone was reached (by the operator or the automated call)' },
    ACKNOWLEDGED: { description: 'The customer acknowledged the incident' },
    CANCELLED: { description: 'No longer needed' },
  },
});
export const CallTaskReason = enumOf(CALL_TASK_REASONS);
registerEnumType(CallTaskReason, {
  name: 'CallTaskReason',
  description: 'Why the customer is called',
  valuesMap: { HIGH_SEVERITY: { description: 'A HIGH severity on a plan that notifies by phone' }, MAIL_FAILED: { description: 'A notification mail could not be delivered' } },
});

@ObjectType('CallTask', { description: 'Phone calls to a customer’s escalation list, for the operator on duty' })
export class CallTaskObject {
  @Field(() => ID, { description: 'Call task id' }) id: string;
  @Field(() => ID, { description: 'The incident' }) incidentId: string;
  @Field(() => ID, { description: 'The customer' }) customerId: string;
  @Field(() => SocSeverityEnum, { description: 'The severity it tells of' }) severity: SocSeverity;
  @Field(() => CallTaskReason, { description: 'Why the customer is called' }) reason: CallTaskReasonValue;
  @Field(() => CallTaskStatus, { description: 'Where it is' }) status: CallTaskStatusValue;
  @Field(() => String, { nullable: true, description: 'The operator on duty it was given to; null when the roster named nobody' }) assignee: string | null;
  @Field(() => [CallContactObject], { description: 'Whom to call, in order' }) contacts: CallContactObject[];
  @Field(() => Int, { description: 'The contact being called now (0 first)' }) currentIndex: number;
  @Field(() => Int, { description: 'How many times the whole list was gone through' }) rounds: number;
  @Field({ description: 'When the next contact is due if nobody answers' }) nextStepAt: Date;
  @Field({ description: 'What to say, in Japanese' }) scriptJa: string;
  @Field({ description: 'What to say, in English' }) scriptEn: string;
  @Field(() => [CallLogEntryObject], { description: 'Calls and outcomes, oldest first' }) log: CallLogEntryObject[];
  @Field(() => Date, { nullable: true, description: 'When it was closed' }) closedAt: Date | null;
  @Field({ description: 'When it was opened' }) createdAt: Date;
}
