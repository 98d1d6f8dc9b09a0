import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('SuppressionCondition', { description: 'One condition of a suppression: a field and exactly one operator; text compares ignoring case' })
export class SuppressionConditionObject {
  @Field({ description: 'product, ruleName, or a dotted ECS field (host.name, source.ip, event.action)' }) field: string;
  @Field(() => String, { nullable: true, description: 'The field equals this' }) equals?: string | null;
  @Field(() => String, { nullable: true, description: 'The field contains this' }) contains?: string | null;
  @Field(() => String, { nullable: true, description: 'The field is an IP address in this network (CIDR, or one address)' }) cidr?: string | null;
  @Field(() => [String], { nullable: true, description: 'The field equals one of these' }) in?: string[] | null;
}
