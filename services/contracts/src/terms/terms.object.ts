import { Field, ObjectType } from '@nestjs/graphql';
import { CalendarDateScalar } from '../common/calendar-date.scalar';

@ObjectType('TermsVersion')
export class TermsVersionObject {
  @Field() version: string;
  @Field(() => CalendarDateScalar) effectiveDate: string;
  @Field() title: string;
  @Field({ description: 'The full text; acceptances record its SHA-256' }) text: string;
  @Field({ description: 'SHA-256 of the text (hex)' }) sha256: string;
  @Field({ description: 'The version new contracts accept today' }) current: boolean;
  @Field() publishedAt: Date;
}

@ObjectType('TermsAcceptance')
export class TermsAcceptanceObject {
  @Field() termsVersion: string;
  @Field({ description: 'SHA-256 of the terms text accepted' }) sha256: string;
  @Field({ description: 'The subject (sub claim) of who accepted' }) acceptedBy: string;
  @Field() acceptedByRole: string;
  @Field() acceptedAt: Date;
}
