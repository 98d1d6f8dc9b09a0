import { ArgsType, Field, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { AlertGroupFilter } from './alert-group-filter.input';

@ArgsType()
export class AlertGroupsArgs {
  @Field(() => AlertGroupFilter, { nullable: true, description: 'Conditions the groups must meet' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AlertGroupFilter)
  filter?: AlertGroupFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1-200' }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true, description: 'endCursor of the previous page' }) @IsOptional() @IsString() after?: string;
}
