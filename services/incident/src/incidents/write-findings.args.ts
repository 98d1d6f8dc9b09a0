import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

@ArgsType()
export class WriteFindingsArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field({ nullable: true, description: 'What is happening: which threat (up to 20000 characters); omitted keeps the current text' }) @IsOptional() @IsString() @Length(0, 20000) whatIsHappening?: string;
  @Field({ nullable: true, description: 'How dangerous it is, and why it got in (up to 20000 characters)' }) @IsOptional() @IsString() @Length(0, 20000) howDangerous?: string;
  @Field({ nullable: true, description: 'What to do (up to 20000 characters)' }) @IsOptional() @IsString() @Length(0, 20000) whatToDo?: string;
  @Field(() => Int, { nullable: true, description: 'The version you read; CONFLICT when the incident changed since. Without it the version read in the same transaction is used' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
