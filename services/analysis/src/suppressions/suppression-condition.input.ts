import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsOptional, IsString, Length } from 'class-validator';

@InputType({ description: 'One condition of a suppression: a field and exactly one of equals, contains, cidr, in' })
export class SuppressionConditionInput {
  @Field({ description: 'product, ruleName, or a dotted ECS field (host.name, source.ip, event.action)' }) @IsString() @Length(1, 200) field: string;
  @Field(() => String, { nullable: true, description: 'The field equals this (ignoring case)' }) @IsOptional() @IsString() @Length(0, 1000) equals?: string | null;
  @Field(() => String, { nullable: true, description: 'The field contains this (ignoring case)' }) @IsOptional() @IsString() @Length(0, 1000) contains?: string | null;
  @Field(() => String, { nullable: true, description: 'The field is an IP address in this network: CIDR (192.0.2.0/24, 2001:db8::/32) or one address' })
  @IsOptional()
  @IsString()
  @Length(0, 100)
  cidr?: string | null;
  @Field(() => [String], { nullable: true, description: 'The field equals one of these (ignoring case), 1-1000 values' })
  @IsOptional()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(0, 1000, { each: true })
  in?: string[] | null;
}
