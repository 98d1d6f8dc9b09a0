import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('VerdictEndpoint', { description: 'An endpoint of the customer that a verdict involves' })
export class VerdictEndpointObject {
  @Field(() => String, { nullable: true, description: 'Host name (lower case); null when only the address is known' }) hostName: string | null;
  @Field(() => String, { nullable: true, description: 'IP address; null when only the host name is known' }) ip: string | null;
}
