import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUrl, IsUUID, Length } from 'class-validator';
import { FireEyeApplianceProduct, FireEyeApplianceProductValue } from './fireeye-appliance.object';

@InputType({ description: 'A customer’s FireEye appliance to pull alerts from, created or replaced (one per customer and address)' })
export class ConfigureFireEyeApplianceInput {
  @Field(() => ID, { description: 'The customer' }) @IsUUID() customerId: string;
  @Field(() => FireEyeApplianceProduct, { description: 'The appliance product' }) @IsEnum(FireEyeApplianceProduct) product: FireEyeApplianceProductValue;
  @Field({ description: 'The appliance’s address over the customer’s VPN (http or https, without /wsapis)' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  baseUrl: string;
  @Field({ description: 'The Web Services API user name (1-200 characters)' }) @IsString() @Length(1, 200) username: string;
  @Field({ nullable: true, description: 'The Web Services API password (write-only; required for a new appliance, left out to keep the stored one)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  password?: string;
  @Field(() => ID, { description: 'The customer’s FireEye sensor in ingestion that pulled alerts are stored under' }) @IsUUID() sensorId: string;
}
