import { Field, ObjectType } from '@nestjs/graphql';
import { ContactLanguageCode } from '@kanshi/events';

@ObjectType('CallContact', { description: 'A contact on a call task’s escalation list' })
export class CallContactObject {
  @Field({ description: 'Name (and role)' }) name: string;
  @Field(() => String, { nullable: true, description: 'Phone number; null when the contact has none' }) phone: string | null;
  @Field(() => String, { nullable: true, description: 'E-mail address' }) email: string | null;
  @Field(() => String, { description: 'The language to speak: ja or en' }) language: ContactLanguageCode;
}
