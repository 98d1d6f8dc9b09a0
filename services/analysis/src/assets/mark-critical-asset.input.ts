import { Field, ID, InputType } from '@nestjs/graphql';
import { IsIP, IsOptional, IsString, IsUUID, Length } from 'class-validator';

@InputType({ description: 'An asset to mark critical: a host name, an IP address, or both' })
export class MarkCriticalAssetInput {
  @Field(() => ID, { description: 'The customer the asset belongs to' }) @IsUUID() customerId: string;
  @Field({ nullable: true, description: 'Host name (1-253 characters; matched without regard to case)' }) @IsOptional() @IsString() @Length(1, 253) hostName?: string;
  @Field({ nullable: true, description: 'IPv4 or IPv6 address' }) @IsOptional() @IsIP() ip?: string;
  @Field({ description: 'Why the asset is critical (1-1000 characters)' }) @IsString() @Length(1, 1000) note: string;
}
