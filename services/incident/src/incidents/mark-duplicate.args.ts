import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsString, IsUUID, Length } from 'class-validator';

@ArgsType()
export class MarkDuplicateArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field(() => ID, { description: 'The incident it duplicates (same customer)' }) @IsUUID() duplicateOf: string;
  @Field({ description: 'Why (1-5000 characters)' }) @IsString() @Length(1, 5000) reason: string;
}
