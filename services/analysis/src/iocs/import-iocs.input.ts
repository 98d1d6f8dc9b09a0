import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { IocFormat as Format, Tlp } from './ioc-kinds';
import { IocFormat, TlpLevel } from './ioc-list.object';

@InputType({ description: 'Indicators to import into an existing list (listId) or a list found or created by name' })
export class ImportIocsInput {
  @Field(() => ID, { nullable: true, description: 'The list to import into; give this or name' }) @IsOptional() @IsUUID() listId?: string;
  @Field({ nullable: true, description: 'The list to import into, created when its owner has none of that name (1-200 characters); give this or listId' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
  @Field(() => ID, { nullable: true, description: "With name: the customer whose list it is. Omitted: a global list for provider staff, the caller's own customer for a customer admin" })
  @IsOptional()
  @IsUUID()
  customerId?: string;
  @Field({ description: 'Where the indicators come from (1-200 characters); the list takes the source of its latest import' }) @IsString() @Length(1, 200) source: string;
  @Field(() => TlpLevel, { description: "The list's TLP; the list takes the TLP of its latest import" }) @IsEnum(TlpLevel) tlp: Tlp;
  @Field(() => Int, { nullable: true, description: 'Confidence (0-100) for indicators that state none; 50 for a new list when omitted' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  defaultConfidence?: number;
  @Field(() => IocFormat, { description: 'STIX (a STIX 2.1 bundle) or CSV' }) @IsEnum(IocFormat) format: Format;
  @Field({ description: 'The bundle or CSV text (up to 1,000,000 characters, the request size the API accepts; split larger feeds)' }) @IsString() @Length(1, 1_000_000) content: string;
}
