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
