import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@ArgsType()
export class IncidentIdArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
}
