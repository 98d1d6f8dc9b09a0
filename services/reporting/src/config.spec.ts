import { ConfigError } from '@kanshi/config';
import { loadConfig } from './config';
import { defaultBrowsers } from './rendering/pdf-renderer.options';

const ok = { JWT_SECRET: 'a'.repeat(32), NODE_ENV: 'development' };
const s3 = { REPORT_STORAGE: 's3', REPORT_S3_ENDPOINT: 'http://127.0.0.1:9000', REPORT_S3_BUCKET: 'kanshi-reports', REPORT_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', REPORT_S3_SECRET_ACCESS_KEY: 'secret' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe('reporting configuration', () => {
  it('keeps PDFs in PostgreSQL by default', () => {
    expect(loadConfig(ok).REPORT_STORAGE).toBe('postgres');
  });

  it('takes an S3-compatible store with its endpoint, bucket and key; path style and us-east-1 by default', () => {
    const c = loadConfig({ ...ok, ...s3 });
    expect(c).toMatchObject({ REPORT_STORAGE: 's3', REPORT_S3_ENDPOINT: 'http://127.0.0.1:9000', REPORT_S3_BUCKET: 'kanshi-reports', REPORT_S3_REGION: 'us-east-1', REPORT_S3_PATH_STYLE: true, REPORT_S3_TIMEOUT_MS: 30_000 });
    expect(loadConfig({ ...ok, ...s3, REPORT_S3_PATH_STYLE: 'false', REPORT_S3_REGION: 'ap-northeast-1' })).toMatchObject({ REPORT_S3_PATH_STYLE: false, REPORT_S3_REGION: 'ap-northeast-1' });
  });

  it('names every missing S3 setting at once', () => {
    expect(problems({ ...ok, REPORT_STORAGE: 's3' })).toEqual([
      'REPORT_S3_ENDPOINT is required when REPORT_STORAGE=s3',
      'REPORT_S3_BUCKET is required when REPORT_STORAGE=s3',
      'REPORT_S3_ACCESS_KEY_ID is required when REPORT_STORAGE=s3',
      'REPORT_S3_SECRET_ACCESS_KEY is required when REPORT_STORAGE=s3',
    ]);
  });

  it('names a malformed endpoint, bucket, region and path-style flag', () => {
    expect(problems({ ...ok, ...s3, REPORT_S3_ENDPOINT: 'minio:9000' })).toEqual([expect.stringMatching(/^REPORT_S3_ENDPOINT must use http: or https: \(got "minio:"\)/)]);
    expect(problems({ ...ok, ...s3, REPORT_S3_ENDPOINT: 'not a url' })).toEqual([expect.stringMatching(/^REPORT_S3_ENDPOINT must be a URL/)]);
    expect(problems({ ...ok, ...s3, REPORT_S3_ENDPOINT: 'https://key:secret@s3.example' })).toEqual([expect.stringMatching(/^REPORT_S3_ENDPOINT must not carry a query or credentials/)]);
    expect(problems({ ...ok, ...s3, REPORT_S3_BUCKET: 'Kanshi_Reports' })).toEqual([expect.stringMatching(/^REPORT_S3_BUCKET must be an S3 bucket name.*\(got "Kanshi_Reports"\)/)]);
    expect(problems({ ...ok, ...s3, REPORT_S3_BUCKET: 'kanshi.reports', REPORT_S3_PATH_STYLE: 'false' })).toEqual([expect.stringMatching(/REPORT_S3_PATH_STYLE=true/)]);
    expect(problems({ ...ok, ...s3, REPORT_S3_REGION: 'Tokyo 1' })).toEqual([expect.stringMatching(/^REPORT_S3_REGION must be a region name/)]);
    expect(problems({ ...ok, ...s3, REPORT_S3_PATH_STYLE: 'maybe' })).toEqual(['REPORT_S3_PATH_STYLE must be true or false (got "maybe")']);
  });

  it('ignores the S3 settings while PDFs are kept in PostgreSQL', () => {
    expect(problems({ ...ok, REPORT_S3_BUCKET: 'Bad_Name' })).toEqual([]);
  });

  it('keeps one warm browser per core but one unless REPORT_BROWSERS says otherwise', () => {
    expect([1, 2, 4, 8].map((cores) => defaultBrowsers(cores))).toEqual([1, 1, 3, 7]);
    expect(loadConfig(ok).REPORT_BROWSERS).toBe(defaultBrowsers());
    expect(loadConfig({ ...ok, REPORT_BROWSERS: '3' }).REPORT_BROWSERS).toBe(3);
  });
});
