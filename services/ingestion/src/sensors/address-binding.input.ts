import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ADDRESS_BINDING_KINDS, AddressBindingKind, type AddressBindingKindCode } from './address-binding-kinds';

@InputType({ description: 'An address to attribute to a sensor, for provider staff to decide' })
export class RequestAddressBindingInput {
  @Field(() => ID, { description: 'The sensor' }) @IsUUID() sensorId: string;
  @Field(() => AddressBindingKind, { description: 'A syslog source address or a mail sender' }) @IsIn(ADDRESS_BINDING_KINDS) kind: AddressBindingKindCode;
  // checked against the kind in the service (an IP address, or a mail address)
  @Field({ description: 'The IP address (SOURCE_IP) or mail address (SENDER)' }) @IsString() @Length(3, 320) address: string;
}

@InputType({ description: "Provider staff's decision on a binding request" })
export class DecideAddressBindingInput {
  @Field(() => ID, { description: 'The request' }) @IsUUID() requestId: string;
  @Field({ description: 'true binds the address to the sensor; false refuses it' }) @IsBoolean() approve: boolean;
  @Field({ nullable: true, description: 'Why (shown to the requester), up to 500 characters' }) @IsOptional() @IsString() @Length(0, 500) note?: string;
}
