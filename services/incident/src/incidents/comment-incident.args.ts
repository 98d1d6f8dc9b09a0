import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsString, IsUUID, Length } from 'class-validator';

@ArgsType()
export class CommentIncidentArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field({ description: 'The comment (1-10000 characters)' }) @IsString() @Length(1, 10000) text: string;
}
