import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { CONTACT_LANGUAGES, ContactLanguageCode, SENSOR_PRODUCTS, upperEnumOf } from '@kanshi/events';
import { IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';

export const ContactLanguage = upperEnumOf(CONTACT_LANGUAGES);
export type ContactLanguage = ContactLanguageCode;
registerEnumType(ContactLanguage, {
  name: 'ContactLanguage',
  description: 'The language the SOC uses with a contact',
  valuesMap: { JA: { description: 'Japanese' }, EN: { description: 'English' } },
});

// Products the SOC watches (the sensors ingestion accepts).
export const MONITORED_PRODUCTS = SENSOR_PRODUCTS;

@InputType({ description: 'A person the SOC calls or mails about a serious incident' })
export class EscalationContactInput {
  @Field({ description: "The contact's name (1 to 200 characters)" }) @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true, description: 'Phone number; optional' }) @IsOptional() @Matches(/^\+?[0-9() -]{6,20}$/, { message: 'phone must be a phone number' }) phone?: string;
  @Field({ nullable: true, description: 'Mail address; optional' }) @IsOptional() @IsEmail() email?: string;
  @Field(() => ContactLanguage, { nullable: true, description: 'JA when omitted' }) @IsOptional() @IsIn(CONTACT_LANGUAGES) language?: ContactLanguage;
}

// The service settings of a contract. On acceptQuote every field is optional (defaults: no
// products, no contacts, no isolation before confirmation, 3 months of logs); on updateContract
// an omitted field is left as it is.
@InputType({ description: 'The service settings of a contract. On acceptQuote every field is optional (defaults: no products, no contacts, no isolation before confirmation, 3 months of logs); on updateContract an omitted field is left as it is.' })
export class ContractSetupInput {
  @Field(() => [String], { nullable: true, description: `Sensor products monitored: ${MONITORED_PRODUCTS.join(', ')}` })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  monitoredProducts?: string[];
  @Field(() => [EscalationContactInput], { nullable: true, description: 'In calling order' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => EscalationContactInput)
  escalationContacts?: EscalationContactInput[];
  @Field({ nullable: true, description: 'A high-severity endpoint may be isolated before the customer confirms (prior agreement)' })
  @IsOptional()
  @IsBoolean()
  isolationPreApproved?: boolean;
  @Field({ nullable: true, description: 'With isolationPreApproved: isolate at once on an automatic HIGH verdict, before an analyst confirms it' })
  @IsOptional()
  @IsBoolean()
  isolationOnAutomaticVerdicts?: boolean;
  @Field(() => Int, { nullable: true, description: 'Months raw logs are kept; 3 by default' }) @IsOptional() @IsInt() logRetentionMonths?: number;
}
