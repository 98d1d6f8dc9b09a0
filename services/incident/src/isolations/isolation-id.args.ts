import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@ArgsType()
export class IsolationIdArgs {
  @Field(() => ID, { description: 'Isolation id' }) @IsUUID() isolationId: string;
}
