import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { SocSeverity } from '@kanshi/events';
import { VerdictSeverity } from './verdict-severity';

@ArgsType()
export class OverrideVerdictArgs {
  @Field(() => ID, { nullable: true, description: 'The verdict to override (give this or alertId)' }) @IsOptional() @IsUUID() verdictId?: string;
  @Field(() => ID, { nullable: true, description: 'The alert whose verdict to override (give this or verdictId)' }) @IsOptional() @IsUUID() alertId?: string;
  @Field(() => VerdictSeverity, { description: 'The severity the analyst decided' }) @IsEnum(VerdictSeverity) severity: SocSeverity;
  @Field({ description: 'Why (1-5000 characters); kept beside the automatic decision' }) @IsString() @Length(1, 5000) rationale: string;
}
