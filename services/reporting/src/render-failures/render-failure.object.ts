import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { ReportKindValue } from '@kanshi/events';
import { ReportKind } from '../reports/report.object';

@ObjectType('ReportRenderFailure', { description: 'A report that could not be rendered after every retry (provider staff only); it stays until a later attempt succeeds' })
export class RenderFailureObject {
  @Field(() => ID, { description: 'Failure id' }) id: string;
  @Field({ description: 'The render job’s key: the same document’s attempts share it' }) jobKey: string;
  @Field(() => ReportKind, { description: 'What was being made' }) kind: ReportKindValue;
  @Field(() => ID, { nullable: true, description: 'The customer it was for' }) customerId: string | null;
  @Field(() => ID, { nullable: true, description: 'The partner it was for (a partner’s own invoice)' }) ownerPartnerId: string | null;
  @Field(() => ID, { nullable: true, description: 'The incident, quote or invoice it was about' }) subjectId: string | null;
  @Field({ description: 'The last error' }) error: string;
  @Field(() => Int, { description: 'Attempts made' }) attempts: number;
  @Field(() => GraphQLISODateTime, { description: 'When the last attempt failed' }) failedAt: Date;
}
