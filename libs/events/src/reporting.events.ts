import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { defineEvent } from './envelope';

export class ReportReadyBody {
  @IsUUID() reportId: string;
  @IsIn(['ANALYSIS', 'MONTHLY', 'QUOTE', 'INVOICE']) kind: string;
  @IsOptional() @IsUUID() subjectId: string | null;
  @IsString() sha256: string;
}

export const ReportReady = defineEvent('reporting.report.ready.v1', 'REPORTING', ReportReadyBody);
