import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { defineEvent } from './envelope';

// What a report is about; reporting owns the list, report.ready carries it.
export const REPORT_KINDS = ['ANALYSIS', 'MONTHLY', 'QUOTE', 'INVOICE'] as const;
export type ReportKindValue = (typeof REPORT_KINDS)[number];

export class ReportReadyBody {
  @IsUUID() reportId: string;
  @IsIn(REPORT_KINDS) kind: ReportKindValue;
  @IsOptional() @IsUUID() subjectId: string | null;
  @IsString() sha256: string;
}

export const ReportReady = defineEvent('reporting.report.ready.v1', 'REPORTING', ReportReadyBody);
