import { PlanCode } from '@kanshi/events';

// The plans whose customers get a monthly report (seed: monitoring, MDR, integrated management;
// FE alert analysis gets analysis reports only).
export const MONTHLY_REPORT_PLANS: readonly PlanCode[] = ['FE_SECURITY_MONITORING', 'MDR', 'INTEGRATED_MANAGEMENT'];
