import { Field, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsBoolean, IsEmail, IsInt, IsIP, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

// Only the fields given change; a list given replaces the whole list.
@InputType({ description: 'New settings for a sensor: only the fields given change, and a list given replaces the whole list' })
export class UpdateSensorSettingsInput {
  @Field({ nullable: true, description: 'A name the customer knows the device by (1 to 200 characters)' }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @Field(() => [String], { nullable: true, description: 'Source addresses the device sends syslog from' })
  @IsOptional() @ArrayMaxSize(64) @IsIP(undefined, { each: true }) allowedSourceIps?: string[];
  @Field(() => [String], { nullable: true, description: 'Mail senders whose alert mail is attributed to this sensor' })
  @IsOptional() @ArrayMaxSize(64) @IsEmail(undefined, { each: true }) allowedSenders?: string[];
  @Field(() => [String], { nullable: true, description: "SHA-256 fingerprints of the device's TLS client certificates (hex, colons optional); binding one is provider staff's decision" })
  @IsOptional() @ArrayMaxSize(8) @Matches(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, { each: true, message: 'each clientCertFingerprints entry must be a SHA-256 fingerprint (64 hex digits, colons optional)' }) clientCertFingerprints?: string[];
  @Field({ nullable: true, description: 'false refuses syslog over UDP for this sensor (UDP source addresses can be forged; attributable only on trusted networks)' }) @IsOptional() @IsBoolean() acceptUdp?: boolean;
  @Field(() => Int, { nullable: true, description: 'Seconds between expected heartbeats, 10 to 86400' }) @IsOptional() @IsInt() @Min(10) @Max(86400) heartbeatIntervalSeconds?: number;
  @Field(() => Int, { nullable: true, description: 'Seconds of silence after which the sensor is DOWN, 30 to 604800' }) @IsOptional() @IsInt() @Min(30) @Max(7 * 86400) silenceThresholdSeconds?: number;
  @Field({ nullable: true, description: 'IANA zone of the device clock, e.g. Asia/Tokyo' }) @IsOptional() @IsString() timeZone?: string;
}
