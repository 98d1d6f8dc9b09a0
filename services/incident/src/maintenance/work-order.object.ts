import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CustomerRef, SensorRef, WORK_ORDER_KINDS, WORK_ORDER_OUTCOMES, WorkOrderKindValue, WorkOrderOutcomeValue } from '@kanshi/events';


export const WorkOrderKind = Object.fromEntries(WORK_ORDER_KINDS.map((k) => [k, k])) as { [K in WorkOrderKindValue]: K };
registerEnumType(WorkOrderKind, {
  name: 'WorkOrderKind',
  description: 'What a work order does to a sensor',
  valuesMap: {
    VERSION_UPGRADE: { description: 'A remote version upgrade (from one product version to another)' },
    HARDWARE_REPLACEMENT: { description: 'The device is replaced by another (from one serial number to another)' },
  } satisfies Record<WorkOrderKindValue, { description: string }>,
});

export const WorkOrderOutcome = Object.fromEntries(WORK_ORDER_OUTCOMES.map((k) => [k, k])) as { [K in WorkOrderOutcomeValue]: K };
registerEnumType(WorkOrderOutcome, {
  name: 'WorkOrderOutcome',
  description: 'How a work order ended',
  valuesMap: {
    DONE: { description: 'The work was done' },
    FAILED: { description: 'The work was attempted and failed (say why in the notes)' },
    CANCELLED: { description: 'The work was called off; its maintenance window is cancelled too' },
  } satisfies Record<WorkOrderOutcomeValue, { description: string }>,
});

@ObjectType('WorkOrder', { description: 'A version upgrade or hardware replacement of a sensor: planned window, engineer, outcome. Listed in the monthly report.' })
export class WorkOrderObject {
  @Field(() => ID, { description: 'Work order id' }) id: string;
  @Field(() => ID, { description: 'The customer whose sensor it is' }) customerId: string;
  @Field(() => CustomerRef, { description: 'The customer whose sensor it is' }) customer: CustomerRef;
  @Field(() => ID, { description: 'The sensor worked on' }) sensorId: string;
  @Field(() => SensorRef, { description: 'The sensor worked on' }) sensor: SensorRef;
  @Field(() => WorkOrderKind, { description: 'Upgrade or replacement' }) kind: WorkOrderKindValue;
  @Field({ description: 'Planned start (UTC instant)' }) plannedStart: Date;
  @Field({ description: 'Planned end (UTC instant)' }) plannedEnd: Date;
  @Field({ description: 'The engineer who does the work' }) engineer: string;
  @Field(() => String, { nullable: true, description: 'Upgrade: the version before (by default the version the sensor last reported)' }) fromVersion: string | null;
  @Field(() => String, { nullable: true, description: 'Upgrade: the version after' }) toVersion: string | null;
  @Field(() => String, { nullable: true, description: 'Replacement: the serial number of the device taken out' }) oldSerial: string | null;
  @Field(() => String, { nullable: true, description: 'Replacement: the serial number of the device put in' }) newSerial: string | null;
  @Field({ description: 'What is planned' }) note: string;
  @Field(() => ID, { nullable: true, description: 'The maintenance window it planned, if any' }) windowId: string | null;
  @Field(() => WorkOrderOutcome, { nullable: true, description: 'How it ended; null while planned' }) outcome: WorkOrderOutcomeValue | null;
  @Field(() => String, { nullable: true, description: 'The engineer’s notes on the outcome' }) outcomeNotes: string | null;
  @Field(() => Date, { nullable: true, description: 'When it ended (UTC instant)' }) completedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Who recorded the outcome' }) outcomeBy: string | null;
  @Field({ description: 'Who recorded it' }) createdBy: string;
  @Field({ description: 'When it was recorded' }) createdAt: Date;
  @Field({ description: 'When it last changed' }) updatedAt: Date;
}
