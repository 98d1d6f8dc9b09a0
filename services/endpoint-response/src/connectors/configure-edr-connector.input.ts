import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUrl, IsUUID, Length } from 'class-validator';
import { EdrProductCode } from '@kanshi/events';
import { EdrProduct } from '../endpoints/endpoint.object';

@InputType({ description: 'A customer’s EDR connector, created or replaced (one per customer and product)' })
export class ConfigureEdrConnectorInput {
  @Field(() => ID, { description: 'The customer' }) @IsUUID() customerId: string;
  @Field(() => EdrProduct, { description: 'The EDR product' }) @IsEnum(EdrProduct) product: EdrProductCode;
  @Field({ description: 'The console’s API base URL (http or https)' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  baseUrl: string;
  @Field({ description: 'Client id / API id / user name (1-200 characters)' }) @IsString() @Length(1, 200) clientId: string;
  @Field({ nullable: true, description: 'Client secret / API secret key / password (write-only; required for a new connector, left out to keep the stored one)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  secret?: string;
  @Field({ nullable: true, description: 'Carbon Black org key (required for CARBON_BLACK)' }) @IsOptional() @IsString() @Length(1, 64) orgKey?: string;
  @Field(() => ID, { nullable: true, description: 'The ingestion sensor pulled detections are stored under' }) @IsOptional() @IsUUID() sensorId?: string;
}
