import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AddressBindingKind, type AddressBindingKindCode, AddressBindingStatus, type AddressBindingStatusCode } from './address-binding-kinds';

@ObjectType('AddressBindingRequest', { description: 'A request to attribute a syslog source address or mail sender to a sensor, decided by provider staff' })
export class AddressBindingRequestObject {
  @Field(() => ID, { description: 'The request id' }) id: string;
  @Field(() => ID, { description: 'The sensor the address would be bound to' }) sensorId: string;
  @Field(() => ID, { description: "The sensor's customer" }) customerId: string;
  @Field(() => AddressBindingKind, { description: 'A source address or a mail sender' }) kind: AddressBindingKindCode;
  @Field({ description: 'The address asked for' }) address: string;
  @Field(() => AddressBindingStatus, { description: 'PENDING until provider staff decide' }) status: AddressBindingStatusCode;
  @Field({ description: 'Who asked (the subject of their token)' }) requestedBy: string;
  @Field({ description: 'When it was asked (UTC instant)' }) requestedAt: Date;
  @Field({ nullable: true, description: 'Who decided; null while pending' }) decidedBy?: string;
  @Field({ nullable: true, description: 'When it was decided; null while pending' }) decidedAt?: Date;
  @Field({ nullable: true, description: "The decider's note (why it was refused)" }) note?: string;
}
