import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum EdrProduct {
  CROWDSTRIKE_FALCON = 'CROWDSTRIKE_FALCON',
  CYBEREASON = 'CYBEREASON',
  CARBON_BLACK = 'CARBON_BLACK',
  FIREEYE_HX = 'FIREEYE_HX',
}
registerEnumType(EdrProduct, { name: 'EdrProduct' });

@ObjectType('Endpoint')
@Directive('@key(fields: "id")')
export class EndpointObject {
  @Field(() => ID) id: string;
  @Field(() => ID) customerId: string;
  @Field() hostName: string;
  @Field(() => [String]) ipAddresses: string[];
  @Field({ nullable: true }) os?: string;
  @Field(() => EdrProduct) edrProduct: string;
  @Field() edrAgentId: string;
  @Field() isolated: boolean;
  @Field({ nullable: true }) lastSeenAt?: Date;
  @Field() createdAt: Date;
}
