import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@ArgsType()
export class IsolationTargetArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() incidentId: string;
  @Field(() => ID, { description: 'The endpoint to isolate (one of the customer’s managed endpoints)' }) @IsUUID() endpointId: string;
}
