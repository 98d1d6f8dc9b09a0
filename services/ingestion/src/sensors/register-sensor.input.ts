import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsEmail, IsEnum, IsInt, IsIP, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { SensorProduct } from './sensor.object';

@InputType({ description: 'A new sensor for a customer' })
export class RegisterSensorInput {
  @Field(() => ID, { description: 'The customer the sensor belongs to; must be visible to the caller' }) @IsUUID() customerId: string;
  @Field(() => SensorProduct, { description: 'The product the sensor is' }) @IsEnum(SensorProduct) product: SensorProduct;
  @Field({ description: 'A name the customer knows the device by (1 to 200 characters)' }) @IsString() @Length(1, 200) name: string;
  @Field(() => [String], { nullable: true, description: 'Source addresses whose syslog is attributed to this sensor (at most 64); none when omitted' }) @IsOptional() @ArrayMaxSize(64) @IsIP(undefined, { each: true }) allowedSourceIps?: string[];
  @Field(() => [String], { nullable: true, description: 'Mail senders whose alert mail is attributed to this sensor (at most 64); none when omitted' }) @IsOptional() @ArrayMaxSize(64) @IsEmail(undefined, { each: true }) allowedSenders?: string[];
  @Field(() => Int, { nullable: true, description: 'Seconds between expected heartbeats, 10 to 86400; 300 when omitted' }) @IsOptional() @IsInt() @Min(10) @Max(86400) heartbeatIntervalSeconds?: number;
  @Field(() => Int, { nullable: true, description: 'Seconds of silence after which the sensor is DOWN, 30 to 604800; 900 when omitted' }) @IsOptional() @IsInt() @Min(30) @Max(7 * 86400) silenceThresholdSeconds?: number;
  @Field({ nullable: true, description: 'IANA zone of the device clock, e.g. Asia/Tokyo' }) @IsOptional() @IsString() timeZone?: string;
}
