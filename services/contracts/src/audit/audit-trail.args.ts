import { ArgsType, Field, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { AuditTrailFilter } from './audit-trail-filter.input';

@ArgsType()
export class AuditTrailArgs {
  @Field(() => AuditTrailFilter, { nullable: true, description: 'Conditions the entries must meet' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditTrailFilter)
  filter?: AuditTrailFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1-200' }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true, description: 'endCursor of the previous page' }) @IsOptional() @IsString() after?: string;
}
