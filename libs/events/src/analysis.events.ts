import { IsArray, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { defineEvent } from './envelope';
import { SOC_SEVERITIES, SocSeverity } from './severity';


export class VerdictIssuedBody {
  @IsUUID() verdictId: string;
  @IsArray() @IsUUID('all', { each: true }) alertIds: string[];
  @IsOptional() @IsString() groupKey: string | null;
  @IsIn(SOC_SEVERITIES) severity: SocSeverity;
  @IsString() title: string;
  @IsString() rationale: string;
  @IsArray() @IsString({ each: true }) recommendedActions: string[];
  @IsOptional() @IsString() hostName: string | null;
  @IsOptional() @IsString() hostIp: string | null;
}

export const VerdictIssued = defineEvent('analysis.verdict.issued.v1', 'ANALYSIS', VerdictIssuedBody);
