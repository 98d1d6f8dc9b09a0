import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

// first/after of a list field on an object (a group's alerts, a suppression's silenced alerts).
@ArgsType()
export class ListPageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1-200' }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true, description: 'endCursor of the previous page' }) @IsOptional() @IsString() after?: string;
}
