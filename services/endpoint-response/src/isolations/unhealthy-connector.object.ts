import { Field, ID, ObjectType } from '@nestjs/graphql';
import { EdrProductValue } from '../endpoints/edr-products';
import { EdrProduct } from '../endpoints/endpoint.object';

@ObjectType('UnhealthyEdrConnector', { description: 'A customer’s EDR connector whose credentials the vendor refused: isolations through it fail until they are fixed' })
export class UnhealthyConnectorObject {
  @Field(() => ID, { description: 'The customer' }) customerId: string;
  @Field(() => EdrProduct, { description: 'The EDR' }) edrProduct: EdrProductValue;
  @Field({ nullable: true, description: 'The vendor’s message' }) message?: string;
  @Field({ description: 'Since when' }) since: Date;
}
