import { SocSeverityEnum } from '@kanshi/platform';

// The SOC's severity under the name the API gives it (one registration: libs/platform).
export const VerdictSeverity = SocSeverityEnum;
