import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID, { description: 'The subscription' }) @IsUUID() subscriptionId: string;
}
