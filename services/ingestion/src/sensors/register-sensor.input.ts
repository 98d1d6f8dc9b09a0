import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsEmail, IsEnum, IsInt, IsIP, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { SensorProduct } from './sensor.object';

@InputType()
export class RegisterSensorInput {
  @Field(() => ID) @IsUUID() customerId: string;
  @Field(() => SensorProduct) @IsEnum(SensorProduct) product: SensorProduct;
  @Field() @IsString() @Length(1, 200) name: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(64) @IsIP(undefined, { each: true }) allowedSourceIps?: string[];
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(64) @IsEmail(undefined, { each: true }) allowedSenders?: string[];
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(10) @Max(86400) heartbeatIntervalSeconds?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(30) @Max(7 * 86400) silenceThresholdSeconds?: number;
  @Field({ nullable: true, description: 'IANA zone of the device clock, e.g. Asia/Tokyo' }) @IsOptional() @IsString() timeZone?: string;
}
