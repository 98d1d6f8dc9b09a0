import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

@ArgsType()
export class MergeIncidentsArgs {
  @Field(() => ID, { description: 'The incident that is merged away (it is CLOSED, pointing at the target)' }) @IsUUID() sourceId: string;
  @Field(() => ID, { description: 'The incident that stays, receiving the source’s alerts and timeline' }) @IsUUID() targetId: string;
  @Field({ nullable: true, description: 'Why (up to 5000 characters)' }) @IsOptional() @IsString() @Length(0, 5000) reason?: string;
}
