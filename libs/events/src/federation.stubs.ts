import 'reflect-metadata';
import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

// The Customer entity is owned by the contracts subgraph; other subgraphs add fields to it
// (Customer.sensors, Customer.incidents, ...) through this key-only stub.
@ObjectType('Customer', { description: 'A company the SOC monitors; owned by the contracts subgraph, extended here' })
@Directive('@key(fields: "id")')
export class CustomerRef {
  @Field(() => ID, { description: "The customer's id, the tenant key across all subgraphs" }) id: string;
}
