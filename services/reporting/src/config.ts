import { bool, ConfigError, cron, int, loadPlatformConfig, optionalStr, port, str, url } from '@kanshi/config';
import { defaultBrowsers } from './rendering/pdf-renderer.options';

// The dev-only signing key of download URLs; production must set REPORT_URL_SECRET.
export const DEV_REPORT_URL_SECRET = 'kanshi-dev-report-url-secret-not-for-production';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const c = loadPlatformConfig(
    'reporting',
    {
      PORT: port(4106),
      // Downloads are served on a port of their own (no Authorization header: the URL is signed).
      PUBLIC_PORT: port(4206),
      // What downloadUrl starts with: where PUBLIC_PORT is reachable from outside.
      PUBLIC_BASE_URL: url({ default: 'http://127.0.0.1:4206', protocols: ['http:', 'https:'] }),
      REPORT_URL_SECRET: optionalStr(),
      REPORT_URL_TTL_SECONDS: int({ default: 900, min: 10, max: 7 * 24 * 3600 }),
      // Rendering: Debian's Chromium driven by puppeteer-core, a pool of warm browsers.
      REPORT_CHROMIUM_PATH: str({ default: '/usr/bin/chromium' }),
      // Warm browsers in the pool; unset: one per core but one, at least one (defaultBrowsers).
      REPORT_BROWSERS: int({ default: defaultBrowsers(), min: 1, max: 16 }),
      REPORT_RENDER_TIMEOUT_MS: int({ default: 30_000, min: 1000, max: 600_000 }),
      // A browser is replaced after this many renders (bounds Chromium's memory growth).
      REPORT_BROWSER_MAX_RENDERS: int({ default: 200, min: 1 }),
      // Where PDFs are kept: postgres (bytea, default) or s3 (any S3-compatible store).
      REPORT_STORAGE: str({ default: 'postgres', oneOf: ['postgres', 's3'] }),
      REPORT_S3_ENDPOINT: optionalStr(),
      REPORT_S3_REGION: str({ default: 'us-east-1' }),
      REPORT_S3_BUCKET: optionalStr(),
      REPORT_S3_ACCESS_KEY_ID: optionalStr(),
      REPORT_S3_SECRET_ACCESS_KEY: optionalStr(),
      // Path-style URLs (endpoint/bucket/key), as MinIO and most self-hosted stores want.
      REPORT_S3_PATH_STYLE: bool(true),
      // Reports are e-mailed through this relay (smtp://host:port, smtps://user:pass@host:465).
      // Unset: nothing can be mailed; a mailing job fails (and is retried) until it is set.
      SMTP_URL: optionalStr(),
      REPORT_MAIL_FROM: str({ default: 'Kanshi SOC <soc@kanshi.example>' }),
      // The monthly reports of the month just closed, in Asia/Tokyo time: 00:30 on the 1st.
      MONTHLY_REPORT_CRON: cron({ default: '30 0 1 * *' }),
    },
    env,
  );
  const problems: string[] = [];
  if (c.NODE_ENV === 'production' && !c.REPORT_URL_SECRET) problems.push('REPORT_URL_SECRET is required in production');
  if (c.REPORT_URL_SECRET !== undefined && c.REPORT_URL_SECRET.length < 32) problems.push('REPORT_URL_SECRET must be at least 32 characters long');
  // The S3 store is not implemented yet: refuse it at start-up rather than at the first report.
  if (c.REPORT_STORAGE === 's3') problems.push('REPORT_STORAGE=s3 is not implemented yet; unset it or use REPORT_STORAGE=postgres (the default)');
  if (problems.length) throw new ConfigError('reporting', problems);
  return { ...c, REPORT_URL_SECRET: c.REPORT_URL_SECRET ?? DEV_REPORT_URL_SECRET };
}
export type ReportingConfig = ReturnType<typeof loadConfig>;
