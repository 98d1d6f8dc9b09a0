import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

@ArgsType()
export class IsolationsArgs {
  @Field(() => ID, { nullable: true, description: 'Only this customer’s' }) @IsOptional() @IsUUID() customerId?: string;
  @Field({ nullable: true, description: 'true: only REQUESTED, ISOLATED and RELEASE_REQUESTED ones; false: only finished ones' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
