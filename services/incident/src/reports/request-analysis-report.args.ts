import { ArgsType, Field, ID, registerEnumType } from '@nestjs/graphql';
import { IsIn, IsUUID } from 'class-validator';
import { ANALYSIS_REPORT_EDITIONS, AnalysisReportEdition, enumOf } from '@kanshi/events';

export const ReportEdition = enumOf(ANALYSIS_REPORT_EDITIONS);
registerEnumType(ReportEdition, {
  name: 'AnalysisReportEdition',
  description: 'The editions of an incident’s analysis report (調査報告書)',
  valuesMap: { FIRST: { description: 'The quick first report' }, DETAILED: { description: 'The detailed report (approved by a tier-2 analyst before it is mailed)' } },
});

@ArgsType()
export class RequestAnalysisReportArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() incidentId: string;
  @Field(() => ReportEdition, { description: 'Which edition' }) @IsIn(ANALYSIS_REPORT_EDITIONS) edition: AnalysisReportEdition;
}
