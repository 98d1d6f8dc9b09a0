import { Field, ObjectType } from '@nestjs/graphql';
import { SocSeverity } from '@kanshi/events';
import { VerdictSeverity } from './verdict-severity';

@ObjectType('VerdictOverride', { description: 'An analyst’s override of a verdict’s severity, kept beside the automatic decision' })
export class VerdictOverrideObject {
  @Field(() => VerdictSeverity, { description: 'The severity the analyst decided' }) severity: SocSeverity;
  @Field({ description: 'Why the analyst changed it' }) rationale: string;
  @Field({ description: 'Who overrode it (the caller’s subject)' }) by: string;
  @Field({ description: 'When it was overridden' }) at: Date;
}
