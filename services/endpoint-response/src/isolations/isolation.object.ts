import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, ISOLATION_STATUSES, IsolationStatusValue } from '@kanshi/events';
import { IncidentRef } from './incident-ref.object';

const STATUS_MEANINGS: Record<IsolationStatusValue, string> = {
  REQUESTED: 'Asked for; the EDR has not confirmed the containment yet',
  ISOLATED: 'The EDR confirmed the endpoint is cut off from the network',
  FAILED: 'Could not be done (see error); the endpoint was not isolated, or not released',
  RELEASE_REQUESTED: 'Release asked for; the EDR has not confirmed it yet',
  RELEASED: 'The endpoint is back on the network',
};
export const IsolationStatus = enumOf(ISOLATION_STATUSES);
registerEnumType(IsolationStatus, {
  name: 'IsolationStatus',
  description: 'Where an isolation is in its life',
  valuesMap: Object.fromEntries(ISOLATION_STATUSES.map((s) => [s, { description: STATUS_MEANINGS[s] }])),
});

// One entity across subgraphs: the incident subgraph adds who asked and when (requestedAt,
// requestedBy); endpoint-response owns what the EDR did.
@ObjectType('Isolation', { description: 'The isolation of one endpoint from the network through its EDR, asked for by an incident' })
@Directive('@key(fields: "id")')
export class IsolationObject {
  @Field(() => ID, { description: 'Isolation id (the one the incident gave it)' }) id: string;
  @Field(() => IsolationStatus, { description: 'Where the isolation is in its life' }) status: IsolationStatusValue;
  @Field(() => IncidentRef, { description: 'The incident it was asked for' })
  @Directive('@shareable')
  incident: IncidentRef;
  @Field({ nullable: true, description: 'When the EDR confirmed the containment' }) isolatedAt?: Date;
  @Field({ nullable: true, description: 'When the EDR confirmed the release' }) releasedAt?: Date;
  @Field({ nullable: true, description: 'When it failed' }) failedAt?: Date;
  @Field({ nullable: true, description: 'Why it failed (the EDR’s own message when it refused)' }) error?: string;
}
