import { Field, ObjectType } from '@nestjs/graphql';
import { CalendarDateScalar } from '../common/calendar-date.scalar';

@ObjectType('TermsVersion', { description: 'One published version of the contract terms' })
export class TermsVersionObject {
  @Field({ description: 'Version number, e.g. 1.2 or 2.0.1' }) version: string;
  @Field(() => CalendarDateScalar, { description: 'First day (Asia/Tokyo) new contracts accept this version' }) effectiveDate: string;
  @Field({ description: 'Title of the terms' }) title: string;
  @Field({ description: 'The full text; acceptances record its SHA-256' }) text: string;
  @Field({ description: 'SHA-256 of the text (hex)' }) sha256: string;
  @Field({ description: 'The version new contracts accept today' }) current: boolean;
  @Field({ description: 'When it was published (UTC instant)' }) publishedAt: Date;
}

@ObjectType('TermsAcceptance', { description: 'A record that someone accepted a version of the terms for a contract' })
export class TermsAcceptanceObject {
  @Field({ description: 'The version accepted' }) termsVersion: string;
  @Field({ description: 'SHA-256 of the terms text accepted' }) sha256: string;
  @Field({ description: 'The subject (sub claim) of who accepted' }) acceptedBy: string;
  @Field({ description: 'The role of who accepted (e.g. customer_admin, partner_admin, sales)' }) acceptedByRole: string;
  @Field({ description: 'When it was accepted (UTC instant)' }) acceptedAt: Date;
}
