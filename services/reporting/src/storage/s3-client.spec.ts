import { randomBytes } from 'node:crypto';
import { FAKE_S3_ACCESS_KEY_ID, FAKE_S3_SECRET_ACCESS_KEY, FakeS3Server } from '@kanshi/testing';
import { S3Client, S3Error } from './s3-client';

const s3 = new FakeS3Server({ buckets: ['reports'], region: 'ap-northeast-1' });
beforeAll(() => s3.start());
afterAll(() => s3.stop());
afterEach(() => s3.vendor.reset());

const client = (over: Partial<ConstructorParameters<typeof S3Client>[0]> = {}) =>
  new S3Client({ endpoint: s3.url, region: 'ap-northeast-1', bucket: 'reports', accessKeyId: FAKE_S3_ACCESS_KEY_ID, secretAccessKey: FAKE_S3_SECRET_ACCESS_KEY, pathStyle: true, timeoutMs: 5000, ...over });

async function refusal(p: Promise<unknown>): Promise<S3Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(S3Error);
  return err as S3Error;
}

describe('S3Client against an S3-compatible store that verifies SigV4', () => {
  it('puts, heads and gets an object byte for byte, signed and with Content-MD5', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200_000)]);
    await client().putObject('reports/abc.pdf', pdf, 'application/pdf');
    const put = s3.requests.find((r) => r.method === 'PUT')!;
    expect(put.status).toBe(200);
    expect(put.path).toBe('/reports/reports/abc.pdf');
    expect(put.headers['content-md5']).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(put.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(put.headers.authorization).toMatch(/SignedHeaders=content-md5;content-type;host;x-amz-content-sha256;x-amz-date,/);
    expect(s3.object('reports', 'reports/abc.pdf')?.body.equals(pdf)).toBe(true);
    expect(await client().headObject('reports/abc.pdf')).toMatchObject({ size: pdf.length });
    expect((await client().getObject('reports/abc.pdf'))!.equals(pdf)).toBe(true);
  });

  it('reads a missing key as null (NoSuchKey), on GET and HEAD', async () => {
    expect(await client().getObject('reports/none.pdf')).toBeNull();
    expect(await client().headObject('reports/none.pdf')).toBeNull();
  });

  it('names the secret when the store answers SignatureDoesNotMatch', async () => {
    const err = await refusal(client({ secretAccessKey: 'not-the-secret' }).putObject('reports/x.pdf', Buffer.from('%PDF-'), 'application/pdf'));
    expect(err).toMatchObject({ operation: 'PutObject', status: 403, code: 'SignatureDoesNotMatch' });
    expect(err.message).toContain('check REPORT_S3_SECRET_ACCESS_KEY');
    expect(err.message).toContain('The request signature we calculated does not match');
    expect(s3.object('reports', 'reports/x.pdf')).toBeUndefined();
  });

  it('names the key id, the bucket, the policy and the region for the other refusals', async () => {
    expect((await refusal(client({ accessKeyId: 'AKIAUNKNOWN' }).getObject('k'))).message).toMatch(/403 InvalidAccessKeyId: .*check REPORT_S3_ACCESS_KEY_ID/);
    expect((await refusal(client({ bucket: 'elsewhere' }).getObject('k'))).message).toMatch(/404 NoSuchBucket: .*check REPORT_S3_BUCKET/);
    expect((await refusal(client({ region: 'us-east-1' }).getObject('k'))).message).toMatch(/400 AuthorizationHeaderMalformed: .*check REPORT_S3_REGION/);
    s3.deny(FAKE_S3_ACCESS_KEY_ID, 's3:PutObject');
    try {
      const err = await refusal(client().putObject('reports/y.pdf', Buffer.from('%PDF-'), 'application/pdf'));
      expect(err).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(err.message).toContain('not allowed');
    } finally {
      s3.allow(FAKE_S3_ACCESS_KEY_ID);
    }
  });

  it('says the store is unreachable, naming the endpoint, when nothing answers', async () => {
    await s3.vendor.setDown(true);
    const err = await refusal(client().getObject('k'));
    expect(err).toMatchObject({ code: 'UNREACHABLE', status: 0 });
    expect(err.message).toContain(`REPORT_S3_ENDPOINT ${s3.url} is unreachable`);
  });

  it('builds virtual-hosted URLs when path style is off', () => {
    expect(client({ endpoint: 'https://s3.ap-northeast-1.amazonaws.com', pathStyle: false }).urlOf('reports/a.pdf').toString()).toBe('https://reports.s3.ap-northeast-1.amazonaws.com/reports/a.pdf');
    expect(client({ endpoint: 'http://minio:9000', pathStyle: true }).urlOf('reports/a.pdf').toString()).toBe('http://minio:9000/reports/reports/a.pdf');
  });
});
