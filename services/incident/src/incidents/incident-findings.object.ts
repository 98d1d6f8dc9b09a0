import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('IncidentFindings', { description: 'What the analysts found, the three sections of the analysis report' })
export class IncidentFindingsObject {
  @Field(() => String, { nullable: true, description: 'What is happening: which threat' }) whatIsHappening: string | null;
  @Field(() => String, { nullable: true, description: 'How dangerous it is, and why it got in' }) howDangerous: string | null;
  @Field(() => String, { nullable: true, description: 'What to do: the countermeasures, the route of infection to close' }) whatToDo: string | null;
}
