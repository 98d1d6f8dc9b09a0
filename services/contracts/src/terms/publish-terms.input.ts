import { Field, InputType } from '@nestjs/graphql';
import { IsString, Length, Matches } from 'class-validator';
import { CalendarDateScalar } from '../common/calendar-date.scalar';

@InputType({ description: 'A new version of the contract terms' })
export class PublishTermsVersionInput {
  @Field({ description: 'Version number, e.g. 1.2 or 2.0.1; must be new' }) @Matches(/^\d{1,3}(\.\d{1,3}){1,2}$/, { message: 'version must look like 1.2 or 2.0.1' }) version: string;
  @Field(() => CalendarDateScalar, { description: 'First JST day new contracts accept this version; today or later' }) @IsString() effectiveDate: string;
  @Field({ description: 'Title (1 to 300 characters)' }) @IsString() @Length(1, 300) title: string;
  @Field({ description: 'The full text of the terms' }) @IsString() @Length(1, 500_000) text: string;
}
