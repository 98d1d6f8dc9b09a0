import { cron, loadPlatformConfig, optionalStr, port, str } from '@kanshi/config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig(
    'reporting',
    {
      PORT: port(4106),
      // Reports are e-mailed through this relay (smtp://host:port, smtps://user:pass@host:465).
      // Unset: nothing is mailed; reports are kept and mailing waits (logged) until it is set.
      SMTP_URL: optionalStr(),
      REPORT_MAIL_FROM: str({ default: 'Kanshi SOC <soc@kanshi.example>' }),
      // The monthly reports of the month just closed, in Asia/Tokyo time: 00:30 on the 1st.
      MONTHLY_REPORT_CRON: cron({ default: '30 0 1 * *' }),
    },
    env,
  );
}
export type ReportingConfig = ReturnType<typeof loadConfig>;
