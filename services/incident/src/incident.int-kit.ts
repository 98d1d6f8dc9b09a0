import { IncidentConfig, loadConfig } from './config';

// The configuration of the incident core's integration specs (workflow, intake): a database of the
// spec's own (the job queue, the SLA scheduler and the escalation tick of one spec never see another
// spec's incidents or jobs, whatever clock each holds), and a mail relay that is down, with retries
// an hour apart: severity decisions queue their notification mail as in production, and no mail is
// delivered while the spec runs, so an incident's status and version change only by what the spec
// does. Delivery is the notification specs' subject.
export const coreSpecConfig =
  (databaseUrl: string) =>
  (env: NodeJS.ProcessEnv): IncidentConfig =>
    loadConfig({ ...env, DATABASE_URL: databaseUrl, SMTP_URL: 'smtp://127.0.0.1:9', MAIL_RETRY_DELAY_SECONDS: '3600', SLA_CHECK_INTERVAL_MS: '3600000' });
