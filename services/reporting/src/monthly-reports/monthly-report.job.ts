import { defineJob } from '@kanshi/jobs';

// One customer's monthly report in one language. `deliver`: the scheduled final report, mailed
// to the customer's contacts of that language once made; without it, an API request retried
// after its render failed. Retried with back-off; each step is done once (see monthly_report_run).
export const MonthlyReportJob = defineJob<{ customerId: string; month: string; language: 'ja' | 'en'; deliver: boolean }>('monthly-report', {
  retryLimit: 6,
  retryDelaySeconds: 60,
  retryBackoff: true,
  expireInSeconds: 900,
});

// On the 1st (MONTHLY_REPORT_CRON, Asia/Tokyo): queues the report of the month just closed for
// every customer on a monthly-report plan. Without `month`, the month before today's.
export const MonthlyReportsRunJob = defineJob<{ month?: string }>('monthly-reports-run', {
  retryLimit: 5,
  retryDelaySeconds: 300,
  retryBackoff: true,
  expireInSeconds: 3600,
  policy: 'stately',
});

// At every start and hourly (MONTHLY_REPORT_CATCH_UP): the month just closed for the customers the
// monthly run has not queued it for, so a 1st on which no replica was up is not lost.
export const MonthlyReportsCatchUpJob = defineJob<Record<string, never>>('monthly-reports-catch-up', {
  retryLimit: 3,
  retryDelaySeconds: 300,
  retryBackoff: true,
  expireInSeconds: 3600,
  policy: 'stately',
});
