import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, VERDICT_REASON_KINDS, VerdictReasonKind } from '@kanshi/events';

export const VerdictReasonKindEnum = enumOf(VERDICT_REASON_KINDS);
registerEnumType(VerdictReasonKindEnum, {
  name: 'VerdictReasonKind',
  description: 'What a reason of a verdict rests on',
  valuesMap: {
    RULE: { description: 'A detection rule matched (its ATT&CK techniques listed)' },
    IOC: { description: 'A value of the alert is on an IOC list' },
    REPUTATION: { description: 'The sample’s reputation: how many antivirus engines flag it' },
    BLOCKED: { description: 'Whether the sensor blocked it (blocked or reset: prevented; not blocked: in progress)' },
    ASSET: {
      description: 'Asset context: the endpoint is one of the customer’s critical assets (severity raised one level), or a managed endpoint of the EDR inventory (whether its EDR agent can isolate it)',
    },
    CORRELATION: { description: 'Related alerts were correlated (counts in a window, or a sequence across products)' },
    MANUAL_TRIAGE: { description: 'Automatic analysis failed; an analyst triages the alert by hand' },
  },
});

@ObjectType('VerdictReason', { description: 'One reason for a verdict’s severity, in English and Japanese' })
export class VerdictReasonObject {
  @Field(() => VerdictReasonKindEnum, { description: 'What the reason rests on' }) kind: VerdictReasonKind;
  @Field({ description: 'The reason in English' }) text: string;
  @Field({ description: 'The reason in Japanese' }) textJa: string;
  @Field(() => [String], { description: 'MITRE ATT&CK technique ids (e.g. T1059.001); empty when none apply' }) attackTechniques: string[];
}
