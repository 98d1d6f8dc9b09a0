import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

// The incident subgraph's part of the one Isolation entity: who asked and when, and the incident;
// endpoint-response resolves status, endpoint and log.
@ObjectType('Isolation', { description: 'The isolation of one endpoint from the network through its EDR, asked for by an incident' })
@Directive('@key(fields: "id")')
export class IsolationObject {
  @Field(() => ID, { description: 'Isolation id (the one the incident gave it)' }) id: string;
  @Field({ description: 'When the incident service asked for it' }) requestedAt: Date;
  @Field({ description: 'Who asked: an analyst’s or customer’s user, or system:auto-isolation (the contract’s prior agreement)' }) requestedBy: string;
  @Field(() => String, { nullable: true, description: 'The customer administrator who approved it; null when it needed no approval' }) approvedBy: string | null;
  @Field(() => String, { description: 'Why it was asked for' }) requestReason: string;
  @Field(() => Date, { nullable: true, description: 'When the customer asked for the release (the host is clean)' }) releaseAskedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Who asked for the release' }) releaseAskedBy: string | null;
  @Field(() => String, { nullable: true, description: 'The analyst who confirmed the release' }) releaseConfirmedBy: string | null;
}
