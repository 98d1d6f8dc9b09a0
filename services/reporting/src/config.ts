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
      // One request to the store (upload, download) gives up after this long.
      REPORT_S3_TIMEOUT_MS: int({ default: 30_000, min: 1000, max: 600_000 }),
      // Reports are e-mailed through this relay (smtp://host:port, smtps://user:pass@host:465).
      // Unset: nothing can be mailed; a mailing job fails (and is retried) until it is set.
      SMTP_URL: optionalStr(),
      REPORT_MAIL_FROM: str({ default: 'Kanshi SOC <soc@kanshi.example>' }),
      // The monthly reports of the month just closed, in Asia/Tokyo time: 00:30 on the 1st.
      MONTHLY_REPORT_CRON: cron({ default: '30 0 1 * *' }),
      // At start and hourly: the month just closed for customers it was not run for (a 1st on
      // which no replica was up, or whose run never started), so a missed run is caught up.
      MONTHLY_REPORT_CATCH_UP: bool(true),
    },
    env,
  );
  const problems: string[] = [];
  if (c.NODE_ENV === 'production' && !c.REPORT_URL_SECRET) problems.push('REPORT_URL_SECRET is required in production');
  if (c.REPORT_URL_SECRET !== undefined && c.REPORT_URL_SECRET.length < 32) problems.push('REPORT_URL_SECRET must be at least 32 characters long');
  if (c.REPORT_STORAGE === 's3') problems.push(...s3Problems(c));
  if (problems.length) throw new ConfigError('reporting', problems);
  return { ...c, REPORT_URL_SECRET: c.REPORT_URL_SECRET ?? DEV_REPORT_URL_SECRET };
}

// REPORT_STORAGE=s3 needs the store's endpoint, bucket and key; each missing or malformed one is named.
function s3Problems(c: { REPORT_S3_ENDPOINT?: string; REPORT_S3_BUCKET?: string; REPORT_S3_ACCESS_KEY_ID?: string; REPORT_S3_SECRET_ACCESS_KEY?: string; REPORT_S3_REGION: string; REPORT_S3_PATH_STYLE: boolean }): string[] {
  const problems: string[] = [];
  for (const name of ['REPORT_S3_ENDPOINT', 'REPORT_S3_BUCKET', 'REPORT_S3_ACCESS_KEY_ID', 'REPORT_S3_SECRET_ACCESS_KEY'] as const) {
    if (!c[name]) problems.push(`${name} is required when REPORT_STORAGE=s3`);
  }
  if (c.REPORT_S3_ENDPOINT) {
    let endpoint: URL | undefined;
    try {
      endpoint = new URL(c.REPORT_S3_ENDPOINT);
    } catch {
      problems.push(`REPORT_S3_ENDPOINT must be a URL such as https://s3.ap-northeast-1.amazonaws.com or http://minio:9000 (got "${c.REPORT_S3_ENDPOINT}")`);
    }
    if (endpoint && !['http:', 'https:'].includes(endpoint.protocol)) problems.push(`REPORT_S3_ENDPOINT must use http: or https: (got "${endpoint.protocol}")`);
    if (endpoint && (endpoint.search || endpoint.username || endpoint.password)) problems.push('REPORT_S3_ENDPOINT must not carry a query or credentials (set REPORT_S3_ACCESS_KEY_ID / REPORT_S3_SECRET_ACCESS_KEY)');
  }
  // S3's bucket naming rules (3-63 characters, lower-case letters, digits, dots and hyphens).
  if (c.REPORT_S3_BUCKET && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(c.REPORT_S3_BUCKET)) {
    problems.push(`REPORT_S3_BUCKET must be an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens (got "${c.REPORT_S3_BUCKET}")`);
  }
  if (c.REPORT_S3_BUCKET?.includes('.') && !c.REPORT_S3_PATH_STYLE) problems.push('REPORT_S3_BUCKET with dots needs REPORT_S3_PATH_STYLE=true (a dotted virtual host breaks TLS)');
  if (!/^[a-z0-9-]+$/.test(c.REPORT_S3_REGION)) problems.push(`REPORT_S3_REGION must be a region name such as ap-northeast-1 (got "${c.REPORT_S3_REGION}")`);
  return problems;
}

export type ReportingConfig = ReturnType<typeof loadConfig>;
