import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

export enum RuleSeverity {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}
registerEnumType(RuleSeverity, { name: 'RuleSeverity' });

@ObjectType('DetectionRule')
@Directive('@key(fields: "id")')
export class DetectionRuleObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() description: string;
  @Field(() => [String]) products: string[];
  @Field(() => RuleSeverity) severity: string;
  @Field(() => GraphQLJSONObject) condition: Record<string, unknown>;
  @Field() enabled: boolean;
  @Field() createdAt: Date;
}
