import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsOptional, IsString, IsUrl, IsUUID, Length } from 'class-validator';
import { WebhookEventTypeValue } from './webhook-kinds';
import { WebhookEventType } from './webhook-subscription.object';

@InputType({ description: 'An HTTPS endpoint to receive signed incident events' })
export class CreateWebhookSubscriptionInput {
  @Field({ description: 'Where deliveries are POSTed: https, resolving to a public address' })
  @IsUrl({ require_protocol: true, require_tld: false, protocols: ['https', 'http'] })
  @Length(1, 2000)
  url: string;
  @Field(() => [WebhookEventType], { description: 'The events to receive (at least one)' })
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsEnum(WebhookEventType, { each: true })
  eventTypes: WebhookEventTypeValue[];
  @Field(() => ID, { nullable: true, description: 'Only this customer’s incidents (a partner or the provider); a customer’s own subscription is always for itself' })
  @IsOptional()
  @IsUUID()
  customerId?: string;
  @Field({ nullable: true, description: 'What it is for (up to 500 characters)' }) @IsOptional() @IsString() @Length(0, 500) description?: string;
}
