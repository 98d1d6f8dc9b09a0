import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

// The Incident entity is owned by the incident subgraph; an isolation points at its incident
// through this key-only stub. Descriptions are incident's own, word for word.
@ObjectType('Incident', { description: 'A security incident at one customer, from detection to closure' })
@Directive('@key(fields: "id")')
export class IncidentRef {
  @Field(() => ID, { description: 'Incident id' }) id: string;
}
