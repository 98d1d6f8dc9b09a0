import { Field, ID, ObjectType } from '@nestjs/graphql';
import { SocSeverity } from '@kanshi/events';
import { VerdictActionObject } from './verdict-action.object';
import { VerdictEndpointObject } from './verdict-endpoint.object';
import { VerdictOverrideObject } from './verdict-override.object';
import { VerdictReasonObject } from './verdict-reason.object';
import { VerdictSeverity } from './verdict-severity';

@ObjectType('Verdict', { description: 'Analysis’ decision on an alert: how severe it is, why, and what to do (the seed’s analysis report), with an analyst’s override beside it' })
export class VerdictObject {
  @Field(() => ID, { description: 'The verdict’s id' }) id: string;
  @Field(() => ID, { description: 'The alert it decides on' }) alertId: string;
  @Field(() => VerdictSeverity, { description: 'The severity in force: the analyst’s override when there is one, else the automatic decision' }) severity: SocSeverity;
  @Field(() => VerdictSeverity, { description: 'The severity analysis decided, kept when an analyst overrides it' }) automaticSeverity: SocSeverity;
  @Field({ description: 'false once an analyst overrode the severity' }) automatic: boolean;
  @Field({ description: 'When analysis decided' }) decidedAt: Date;
  @Field(() => [VerdictReasonObject], { description: 'Why: rules with their ATT&CK techniques, IOC hits, reputation, blocked or not, asset value, correlations' }) reasons: VerdictReasonObject[];
  @Field(() => [VerdictActionObject], { description: 'Recommended countermeasures' }) recommendedActions: VerdictActionObject[];
  @Field({ description: 'Whether isolating the endpoints from the network is recommended' }) isolationRecommended: boolean;
  @Field(() => [VerdictEndpointObject], { description: 'The customer’s endpoints involved' }) endpoints: VerdictEndpointObject[];
  @Field(() => Boolean, { nullable: true, description: 'Whether the sensor blocked it (blocked or reset); null when the sensor did not say' }) blocked: boolean | null;
  @Field({ description: 'Whether a suppression rule silenced the alert (counted, no notification)' }) suppressed: boolean;
  @Field(() => VerdictOverrideObject, { nullable: true, description: 'The analyst’s override; null while the automatic decision stands' }) override: VerdictOverrideObject | null;
  @Field(() => ID, { nullable: true, description: 'The alert group it belongs to; null for a suppressed alert or one sent to manual triage' }) groupId: string | null;
}
