import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

@ArgsType()
export class IocsArgs {
  @Field(() => ID, { description: 'The list' }) @IsString() listId: string;
  @Field(() => Int, { nullable: true, description: 'Page size, 1-200 (default 50)' }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' }) @IsOptional() @IsString() after?: string;
}
