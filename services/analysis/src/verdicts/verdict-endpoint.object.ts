import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('VerdictEndpoint', { description: 'An endpoint of the customer that a verdict involves' })
export class VerdictEndpointObject {
  @Field(() => String, { nullable: true, description: 'Host name (lower case); null when only the address is known' }) hostName: string | null;
  @Field(() => String, { nullable: true, description: 'IP address; null when only the host name is known' }) ip: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'The managed endpoint of the customer’s EDR inventory the alert resolved to (by agent id, host name or IP), as requestIsolation takes it; null when the inventory has none',
  })
  endpointId?: string | null;
}
