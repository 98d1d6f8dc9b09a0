import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, REPORT_KINDS, ReportKindValue } from '@kanshi/events';
import { REPORT_EDITIONS, ReportEdition } from './report.entity';

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

export const ReportEditionEnum = enumOf(REPORT_EDITIONS);
registerEnumType(ReportEditionEnum, {
  name: 'ReportEdition',
  description: 'Which edition of an analysis report',
  valuesMap: { FIRST: { description: 'The first (quick) report' }, DETAILED: { description: 'The detailed report' } },
});

@ObjectType('Report', { description: 'A PDF document: an analysis report, a monthly report, a quote or an invoice; regenerating one adds a version and keeps the earlier ones' })
@Directive('@key(fields: "id")')
export class ReportObject {
  @Field(() => ID, { description: 'Report id' }) id: string;
  @Field(() => ID, { nullable: true, description: 'The customer it is for; null for a partner’s own invoice' }) customerId: string | null;
  @Field(() => ReportKind, { description: 'What the report is' }) kind: ReportKindValue;
  @Field({ description: 'Title as printed on the report' }) title: string;
  @Field({ description: 'Language it is written in: ja or en' }) language: string;
  @Field({ description: 'When this version was made' }) createdAt: Date;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the PDF (hex)' }) sha256: string | null;
  @Field(() => Int, { description: 'Version of this document, from 1; regenerating adds one' }) version: number;
  @Field(() => ReportEditionEnum, { nullable: true, description: 'For an analysis report: first or detailed' }) edition: ReportEdition | null;
  @Field({ description: 'Made before its period closed (a month in progress): every page is marked provisional' }) provisional: boolean;
  @Field(() => String, { nullable: true, description: 'The month it covers, YYYY-MM (monthly report, invoice)' }) period: string | null;
  @Field(() => ID, { nullable: true, description: 'What it is about: the incident, quote or invoice id' }) subjectId: string | null;
  @Field(() => Int, { nullable: true, description: 'Size of the PDF in bytes' }) sizeBytes: number | null;
}
