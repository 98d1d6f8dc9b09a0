import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsIP, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { EdrProductValue } from './edr-products';
import { EdrProduct } from './endpoint.object';

@InputType({ description: 'An endpoint registered by hand (EDR inventory sync adds the rest)' })
export class RegisterEndpointInput {
  @Field(() => ID, { description: 'The customer it belongs to' }) @IsUUID() customerId: string;
  @Field({ description: 'Host name (1-255 characters)' }) @IsString() @Length(1, 255) hostName: string;
  @Field(() => [String], { nullable: true, description: 'IP addresses (up to 32)' })
  @IsOptional()
  @ArrayMaxSize(32)
  @IsIP(undefined, { each: true })
  ipAddresses?: string[];
  @Field({ nullable: true, description: 'Operating system (1-100 characters)' }) @IsOptional() @IsString() @Length(1, 100) os?: string;
  @Field(() => EdrProduct, { description: 'The EDR that manages it' }) @IsEnum(EdrProduct) edrProduct: EdrProductValue;
  @Field({ description: 'The agent id in that EDR’s API; unique per product' }) @IsString() @Length(1, 200) edrAgentId: string;
}
