import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEnum, IsUUID } from 'class-validator';
import { AnalysisReportEdition } from '@kanshi/events';
import { AnalysisReportEditionEnum } from './analysis-report-edition';

@ArgsType()
export class GenerateAnalysisReportArgs {
  @Field(() => ID, { description: 'The incident the report is about' }) @IsUUID() incidentId: string;
  @Field(() => AnalysisReportEditionEnum, { description: 'Which edition: FIRST or DETAILED' }) @IsEnum(AnalysisReportEditionEnum) edition: AnalysisReportEdition;
}
