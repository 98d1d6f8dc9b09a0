import { ArgsType, Field } from '@nestjs/graphql';
import { IsBoolean, IsOptional } from 'class-validator';

@ArgsType()
export class CallTasksArgs {
  @Field({ nullable: true, defaultValue: true, description: 'Only the open ones (by when the next contact is due); else the latest 200, newest first' })
  @IsOptional()
  @IsBoolean()
  onlyOpen?: boolean;
}
