import { IsArray, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { defineEvent } from './envelope';

export const SEVERITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type Severity = (typeof SEVERITIES)[number];

export class VerdictIssuedBody {
  @IsUUID() verdictId: string;
  @IsArray() @IsUUID('all', { each: true }) alertIds: string[];
  @IsOptional() @IsString() groupKey: string | null;
  @IsIn(SEVERITIES) severity: Severity;
  @IsString() title: string;
  @IsString() rationale: string;
  @IsArray() @IsString({ each: true }) recommendedActions: string[];
  @IsOptional() @IsString() hostName: string | null;
  @IsOptional() @IsString() hostIp: string | null;
}

export const VerdictIssued = defineEvent('analysis.verdict.issued.v1', 'ANALYSIS', VerdictIssuedBody);
