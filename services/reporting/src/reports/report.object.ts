import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, REPORT_KINDS, ReportKindValue } from '@kanshi/events';

// The list lives in libs/events: report.ready carries it to contracts.
const KIND_MEANINGS: Record<ReportKindValue, string> = {
  ANALYSIS: 'Analysis (investigation) report on one incident',
  MONTHLY: 'Monthly report: alert statistics and incidents of one month',
  QUOTE: 'A quote as PDF',
  INVOICE: 'An invoice as PDF',
};
export const ReportKind = enumOf(REPORT_KINDS);
registerEnumType(ReportKind, {
  name: 'ReportKind',
  description: 'What a report is',
  valuesMap: Object.fromEntries(REPORT_KINDS.map((k) => [k, { description: KIND_MEANINGS[k] }])),
});

@ObjectType('Report', { description: 'A PDF document for one customer: an analysis report, a monthly report, a quote or an invoice' })
@Directive('@key(fields: "id")')
export class ReportObject {
  @Field(() => ID, { description: 'Report id' }) id: string;
  @Field(() => ID, { description: 'The customer it is for' }) customerId: string;
  @Field(() => ReportKind, { description: 'What the report is' }) kind: ReportKindValue;
  @Field({ description: 'Title as printed on the report' }) title: string;
  @Field({ description: 'Language it is written in: ja or en' }) language: string;
  @Field({ description: 'When it was requested' }) createdAt: Date;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the PDF, null while it is being rendered' }) sha256: string | null;
}
