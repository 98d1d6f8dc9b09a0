import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';

@ArgsType()
export class CriticalAssetsArgs {
  @Field(() => ID, { nullable: true, description: 'Only this customer’s critical assets; every customer you may see when omitted' })
  @IsOptional()
  @IsUUID()
  customerId?: string;
}
