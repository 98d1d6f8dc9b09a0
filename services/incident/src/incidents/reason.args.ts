import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsString, IsUUID, Length } from 'class-validator';

@ArgsType()
export class IncidentReasonArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field({ description: 'Why (1-5000 characters); on the timeline' }) @IsString() @Length(1, 5000) reason: string;
}
