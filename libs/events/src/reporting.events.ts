import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID } from 'class-validator';
import { defineEvent } from './envelope';

// What a report is about; reporting owns the list, report.ready carries it.
export const REPORT_KINDS = ['ANALYSIS', 'MONTHLY', 'QUOTE', 'INVOICE'] as const;
export type ReportKindValue = (typeof REPORT_KINDS)[number];

export class ReportReadyBody {
  @IsUUID() reportId: string;
  @IsIn(REPORT_KINDS) kind: ReportKindValue;
  @IsOptional() @IsUUID() subjectId: string | null;
  @IsString() sha256: string;
  // For an analysis report (issue 13): its edition and the request it answers.
  @IsOptional() @IsIn(['FIRST', 'DETAILED']) edition?: 'FIRST' | 'DETAILED';
  @IsOptional() @IsUUID() requestId?: string;
}

// An approved report was e-mailed (accepted by the relay) to the customer's contacts.
export class ReportSentBody {
  @IsUUID() reportId: string;
  @IsIn(REPORT_KINDS) kind: ReportKindValue;
  @IsOptional() @IsUUID() subjectId: string | null;
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) recipients: string[];
  @IsString() messageId: string;
  @IsISO8601() sentAt: string;
}

export const ReportReady = defineEvent('reporting.report.ready.v1', 'REPORTING', ReportReadyBody);
export const ReportSent = defineEvent('reporting.report.sent.v1', 'REPORTING', ReportSentBody);
