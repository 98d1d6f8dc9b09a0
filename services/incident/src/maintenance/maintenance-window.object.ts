import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CustomerRef, SensorRef, MAINTENANCE_REASONS, MaintenanceReasonValue } from '@kanshi/events';


export const MaintenanceReason = Object.fromEntries(MAINTENANCE_REASONS.map((r) => [r, r])) as { [K in MaintenanceReasonValue]: K };
registerEnumType(MaintenanceReason, {
  name: 'MaintenanceReason',
  description: 'Why a maintenance window is planned',
  valuesMap: {
    VERSION_UPGRADE: { description: 'A remote version upgrade of the device' },
    DEVICE_REPLACEMENT: { description: 'The device is replaced (hardware replacement support)' },
    OTHER: { description: 'Other planned work (say what in the note)' },
  } satisfies Record<MaintenanceReasonValue, { description: string }>,
});

@ObjectType('MaintenanceWindow', {
  description: 'Planned work on a customer’s sensors (all of them, or one): while it runs, a sensor going DOWN opens no availability incident. Listed in the monthly report.',
})
export class MaintenanceWindowObject {
  @Field(() => ID, { description: 'Window id' }) id: string;
  @Field(() => ID, { description: 'The customer whose sensors it covers' }) customerId: string;
  @Field(() => CustomerRef, { description: 'The customer whose sensors it covers' }) customer: CustomerRef;
  @Field(() => ID, { nullable: true, description: 'The one sensor it covers; null: every sensor of the customer' }) sensorId: string | null;
  @Field(() => SensorRef, { nullable: true, description: 'The one sensor it covers; null: every sensor of the customer' }) sensor: SensorRef | null;
  @Field(() => MaintenanceReason, { description: 'Why' }) reason: MaintenanceReasonValue;
  @Field({ description: 'Start (UTC instant)' }) startsAt: Date;
  @Field({ description: 'End (UTC instant, exclusive)' }) endsAt: Date;
  @Field({ description: 'What is done, for the engineers and the customer' }) note: string;
  @Field(() => ID, { nullable: true, description: 'The work order that planned it, if any' }) workOrderId: string | null;
  @Field(() => Date, { nullable: true, description: 'When it was cancelled (it suppresses nothing since); null while it stands' }) cancelledAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Who cancelled it' }) cancelledBy: string | null;
  @Field(() => Int, { description: 'How many times a sensor going DOWN inside it opened no availability incident' }) suppressedCount: number;
  @Field(() => Date, { nullable: true, description: 'The last time it suppressed an availability incident' }) lastSuppressedAt: Date | null;
  @Field({ description: 'Who planned it' }) createdBy: string;
  @Field({ description: 'When it was planned' }) createdAt: Date;
  @Field({ description: 'When it last changed' }) updatedAt: Date;
}
