import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsIP, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { EdrProduct } from './endpoint.object';

@InputType()
export class RegisterEndpointInput {
  @Field(() => ID) @IsUUID() customerId: string;
  @Field() @IsString() @Length(1, 255) hostName: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(32) @IsIP(undefined, { each: true }) ipAddresses?: string[];
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 100) os?: string;
  @Field(() => EdrProduct) @IsEnum(EdrProduct) edrProduct: EdrProduct;
  @Field() @IsString() @Length(1, 200) edrAgentId: string;
}
