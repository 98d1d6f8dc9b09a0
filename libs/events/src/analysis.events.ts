import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { defineEvent } from './envelope';
import { SENSOR_PRODUCTS, SensorProductCode } from './products';
import { SOC_SEVERITIES, SocSeverity } from './severity';

// Retired: analysis no longer publishes v1 (every consumer reads VerdictIssuedV2); the definition
// stays so that an old message still in the stream can be read.
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

// Why a verdict has its severity: a rule, an IOC hit, the sample's reputation, whether the sensor
// blocked it, the asset's value, a correlation, or a hand-off to an analyst (analysis failed).
export const VERDICT_REASON_KINDS = ['RULE', 'IOC', 'REPUTATION', 'BLOCKED', 'ASSET', 'CORRELATION', 'MANUAL_TRIAGE'] as const;
export type VerdictReasonKind = (typeof VERDICT_REASON_KINDS)[number];

export class VerdictReasonV2 {
  @IsIn(VERDICT_REASON_KINDS) kind: VerdictReasonKind;
  @IsString() text: string;
  @IsString() textJa: string;
  // MITRE ATT&CK technique ids, e.g. T1059.001.
  @IsArray() @IsString({ each: true }) attackTechniques: string[];
}

export class VerdictActionV2 {
  @IsString() text: string;
  @IsString() textJa: string;
}

export class VerdictEndpointV2 {
  @IsOptional() @IsString() hostName: string | null;
  @IsOptional() @IsString() ip: string | null;
  // The EDR agent id of the endpoint, when endpoint-response's inventory knows it (issue 11: the endpoint to isolate).
  @IsOptional() @IsString() agentId?: string | null;
  // The endpoint's id in endpoint-response's inventory (response.endpoint.changed.v1), when the
  // alert resolved to one (issue 12); optional, so v2 stays compatible.
  @IsOptional() @IsUUID() endpointId?: string | null;
}

// The richer verdict (issue 10): reasons with ATT&CK ids, Japanese and English texts and
// actions, the endpoints involved. Published beside v1 until every consumer has moved.
// An analyst's override is published again under this subject for the same verdictId with
// `overridden: true` and the new severity (the automatic one stays in `automaticSeverity`):
// a consumer keeps the latest event per verdictId.
export class VerdictIssuedV2Body {
  @IsUUID() verdictId: string;
  @IsArray() @ArrayMaxSize(1000) @IsUUID('all', { each: true }) alertIds: string[];
  @IsOptional() @IsUUID() groupId: string | null;
  @IsIn(SOC_SEVERITIES) severity: SocSeverity;
  @IsIn(SOC_SEVERITIES) automaticSeverity: SocSeverity;
  @IsBoolean() overridden: boolean;
  @IsOptional() @IsString() overrideRationale: string | null;
  @IsArray() @ValidateNested({ each: true }) @Type(() => VerdictReasonV2) reasons: VerdictReasonV2[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => VerdictActionV2) recommendedActions: VerdictActionV2[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => VerdictEndpointV2) endpoints: VerdictEndpointV2[];
  @IsBoolean() isolationRecommended: boolean;
  @IsUUID() sensorId: string;
  @IsIn(SENSOR_PRODUCTS) product: SensorProductCode;
  // ECS event.category of the alert.
  @IsArray() @IsString({ each: true }) category: string[];
  // The matched rule's title, else the vendor's rule name.
  @IsOptional() @IsString() signature: string | null;
  // What the sensor said: true blocked / reset, false let through, null unknown.
  @IsOptional() @IsBoolean() blocked: boolean | null;
  @IsISO8601() decidedAt: string;
}

export const VerdictIssuedV2 = defineEvent('analysis.verdict.issued.v2', 'ANALYSIS', VerdictIssuedV2Body);
