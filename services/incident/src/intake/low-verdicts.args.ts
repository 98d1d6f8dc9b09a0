import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsISO8601, IsUUID } from 'class-validator';

@ArgsType()
export class LowVerdictsArgs {
  @Field(() => ID, { description: 'The customer' }) @IsUUID() customerId: string;
  @Field({ description: 'From (inclusive, ISO 8601)' }) @IsISO8601() from: string;
  @Field({ description: 'To (exclusive, ISO 8601)' }) @IsISO8601() to: string;
}
