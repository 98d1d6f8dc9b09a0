import { request } from 'node:http';
import { createHash } from 'node:crypto';
import { FakeS3Server } from './fake-s3.server';

// Raw HTTP, so the requests are exactly what AWS's documentation shows (Host header included).
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EXAMPLE_AUTH = (signature: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=${signature}`;

describe('FakeS3Server: SigV4 verified as AWS documents it', () => {
  // AWS's GET Object example, replayed at the example's time against a store with the example's key.
  const s3 = new FakeS3Server({ buckets: ['examplebucket'], keys: { AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, now: () => new Date('2013-05-24T00:01:00Z') });
  beforeAll(() => s3.start());
  afterAll(() => s3.stop());
  const exampleHeaders = (signature: string) => ({
    Host: 'examplebucket.s3.amazonaws.com',
    Range: 'bytes=0-9',
    'x-amz-content-sha256': EMPTY,
    'x-amz-date': '20130524T000000Z',
    Authorization: EXAMPLE_AUTH(signature),
  });

  it('accepts the documented signature of AWS’s GET Object example (and answers NoSuchKey for the missing key)', async () => {
    const res = await send(s3.url, 'GET', '/test.txt', exampleHeaders('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'));
    expect(res.status).toBe(404);
    expect(res.text).toContain('<Code>NoSuchKey</Code>');
    expect(res.headers['content-type']).toBe('application/xml');
  });

  it('refuses a signature one digit off with 403 SignatureDoesNotMatch, giving the string to sign it computed', async () => {
    const res = await send(s3.url, 'GET', '/test.txt', exampleHeaders('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb42'));
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated does not match/);
    expect(res.text).toContain('<StringToSign>AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972</StringToSign>');
  });

  it('refuses the same signature over a changed signed header (the range) and an unknown key id', async () => {
    const changed = await send(s3.url, 'GET', '/test.txt', { ...exampleHeaders('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'), Range: 'bytes=0-99' });
    expect(changed.status).toBe(403);
    expect(changed.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    const unknown = await send(s3.url, 'GET', '/test.txt', { ...exampleHeaders('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'), Authorization: EXAMPLE_AUTH('0'.repeat(64)).replace('AKIAIOSFODNN7EXAMPLE', 'AKIANOBODY') });
    expect(unknown.status).toBe(403);
    expect(unknown.text).toContain('<Code>InvalidAccessKeyId</Code>');
  });

  it('refuses anonymous requests with 403 AccessDenied, and a request signed too long ago with RequestTimeTooSkewed', async () => {
    const anonymous = await send(s3.url, 'GET', '/test.txt', { Host: 'examplebucket.s3.amazonaws.com' });
    expect(anonymous.status).toBe(403);
    expect(anonymous.text).toContain('<Code>AccessDenied</Code>');
    const late = new FakeS3Server({ buckets: ['examplebucket'], keys: { AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, now: () => new Date('2013-05-24T00:16:00Z') });
    await late.start();
    try {
      const res = await send(late.url, 'GET', '/test.txt', exampleHeaders('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'));
      expect(res.status).toBe(403);
      expect(res.text).toContain('<Code>RequestTimeTooSkewed</Code>');
    } finally {
      await late.stop();
    }
  });

  it('checks an upload against x-amz-content-sha256 before anything else is looked at', async () => {
    const body = Buffer.from('Welcome to Amazon S3.');
    const res = await send(s3.url, 'PUT', '/test%24file.text', { Host: 'examplebucket.s3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex'), Authorization: EXAMPLE_AUTH('0'.repeat(64)).replace('range;', '') }, body);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
  });
});
