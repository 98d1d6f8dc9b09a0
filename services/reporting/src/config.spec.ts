import { ConfigError } from '@kanshi/config';
import { loadConfig } from './config';

const ok = { JWT_SECRET: 'a'.repeat(32), NODE_ENV: 'development' };

describe('reporting configuration', () => {
  it('keeps PDFs in PostgreSQL by default', () => {
    expect(loadConfig(ok).REPORT_STORAGE).toBe('postgres');
  });

  it('refuses REPORT_STORAGE=s3 at start-up with one line saying it is not implemented', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ ...ok, REPORT_STORAGE: 's3', REPORT_S3_ENDPOINT: 'http://127.0.0.1:9000', REPORT_S3_BUCKET: 'reports', REPORT_S3_ACCESS_KEY_ID: 'k', REPORT_S3_SECRET_ACCESS_KEY: 's' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual(['REPORT_STORAGE=s3 is not implemented yet; unset it or use REPORT_STORAGE=postgres (the default)']);
  });
});
