import { registerEnumType } from '@nestjs/graphql';
import { ANALYSIS_REPORT_EDITIONS, AnalysisReportEdition, enumOf } from '@kanshi/events';

const MEANINGS: Record<AnalysisReportEdition, string> = {
  FIRST: 'The quick first report (初報), within 60 minutes of the severity decision on MDR',
  DETAILED: 'The detailed report (詳細報告), by the next business day',
};

export const AnalysisReportEditionEnum = enumOf(ANALYSIS_REPORT_EDITIONS);
registerEnumType(AnalysisReportEditionEnum, {
  name: 'AnalysisReportEdition',
  description: 'An edition of an incident’s analysis report (調査報告書)',
  valuesMap: Object.fromEntries(ANALYSIS_REPORT_EDITIONS.map((e) => [e, { description: MEANINGS[e] }])),
});
