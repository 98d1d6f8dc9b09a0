import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { MaintenanceReasonValue, WorkOrderKindValue, WorkOrderOutcomeValue } from '@kanshi/events';
import { MaintenanceReason } from './maintenance-window.object';
import { WorkOrderKind, WorkOrderOutcome } from './work-order.object';

@InputType({ description: 'A maintenance window to plan' })
export class CreateMaintenanceWindowInput {
  @Field(() => ID, { description: 'The customer whose sensors it covers' }) @IsUUID() customerId: string;
  @Field(() => ID, { nullable: true, description: 'Only this sensor of the customer; omitted: every sensor of the customer' }) @IsOptional() @IsUUID() sensorId?: string | null;
  @Field(() => MaintenanceReason, { description: 'Why' }) @IsEnum(MaintenanceReason) reason: MaintenanceReasonValue;
  @Field({ description: 'Start (ISO 8601)' }) @IsISO8601() startsAt: string;
  @Field({ description: 'End (ISO 8601), after the start, at most 31 days later' }) @IsISO8601() endsAt: string;
  @Field({ nullable: true, description: 'What is done (up to 2000 characters)' }) @IsOptional() @IsString() @Length(0, 2000) note?: string;
}

@InputType({ description: 'Changes to a maintenance window; what is omitted stays' })
export class UpdateMaintenanceWindowInput {
  @Field(() => ID, { description: 'Window id' }) @IsUUID() id: string;
  @Field(() => MaintenanceReason, { nullable: true, description: 'Why' }) @IsOptional() @IsEnum(MaintenanceReason) reason?: MaintenanceReasonValue;
  @Field({ nullable: true, description: 'Start (ISO 8601)' }) @IsOptional() @IsISO8601() startsAt?: string;
  @Field({ nullable: true, description: 'End (ISO 8601), after the start, at most 31 days later' }) @IsOptional() @IsISO8601() endsAt?: string;
  @Field({ nullable: true, description: 'What is done (up to 2000 characters)' }) @IsOptional() @IsString() @Length(0, 2000) note?: string;
}

@ArgsType()
export class MaintenanceListArgs {
  @Field(() => ID, { nullable: true, description: 'Only this customer’s (one the caller may see)' }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ID, { nullable: true, description: 'Only those covering this sensor (windows for the whole customer included)' }) @IsOptional() @IsUUID() sensorId?: string;
  @Field({ nullable: true, description: 'Only those ending after this instant (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true, description: 'Only those starting before this instant (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
}

@ArgsType()
export class MaintenanceWindowsArgs extends MaintenanceListArgs {
  @Field({ nullable: true, defaultValue: false, description: 'Include cancelled windows' }) @IsOptional() @IsBoolean() includeCancelled?: boolean;
}

@InputType({ description: 'An upgrade or replacement work order to record' })
export class RecordWorkOrderInput {
  @Field(() => ID, { description: 'The customer whose sensor it is' }) @IsUUID() customerId: string;
  @Field(() => ID, { description: 'The sensor worked on (one of the customer’s)' }) @IsUUID() sensorId: string;
  @Field(() => WorkOrderKind, { description: 'Upgrade or replacement' }) @IsEnum(WorkOrderKind) kind: WorkOrderKindValue;
  @Field({ description: 'Planned start (ISO 8601)' }) @IsISO8601() plannedStart: string;
  @Field({ description: 'Planned end (ISO 8601), after the start, at most 31 days later' }) @IsISO8601() plannedEnd: string;
  @Field({ description: 'The engineer who does the work (1-200 characters)' }) @IsString() @Length(1, 200) engineer: string;
  @Field({ nullable: true, description: 'Upgrade: the version before (omitted: the version the sensor last reported, if known)' }) @IsOptional() @IsString() @Length(1, 100) fromVersion?: string;
  @Field({ nullable: true, description: 'Upgrade: the version after (up to 100 characters)' }) @IsOptional() @IsString() @Length(1, 100) toVersion?: string;
  @Field({ nullable: true, description: 'Replacement: the serial number of the device taken out' }) @IsOptional() @IsString() @Length(1, 100) oldSerial?: string;
  @Field({ nullable: true, description: 'Replacement: the serial number of the device put in' }) @IsOptional() @IsString() @Length(1, 100) newSerial?: string;
  @Field({ nullable: true, description: 'What is planned (up to 2000 characters)' }) @IsOptional() @IsString() @Length(0, 2000) note?: string;
  @Field({ nullable: true, defaultValue: true, description: 'Also plan a maintenance window for the sensor over the planned period (default true), so its downtime opens no availability incident' })
  @IsOptional()
  @IsBoolean()
  createMaintenanceWindow?: boolean;
}

@InputType({ description: 'How a work order ended' })
export class RecordWorkOrderOutcomeInput {
  @Field(() => ID, { description: 'Work order id' }) @IsUUID() id: string;
  @Field(() => WorkOrderOutcome, { description: 'Done, failed or cancelled' }) @IsEnum(WorkOrderOutcome) outcome: WorkOrderOutcomeValue;
  @Field({ nullable: true, description: 'What happened (up to 2000 characters)' }) @IsOptional() @IsString() @Length(0, 2000) notes?: string;
  @Field({ nullable: true, description: 'When it ended (ISO 8601; default now)' }) @IsOptional() @IsISO8601() completedAt?: string;
  @Field({ nullable: true, description: 'Upgrade: the version actually installed, when it differs from the plan' }) @IsOptional() @IsString() @Length(1, 100) toVersion?: string;
  @Field({ nullable: true, description: 'Replacement: the serial number actually put in, when it differs from the plan' }) @IsOptional() @IsString() @Length(1, 100) newSerial?: string;
}
