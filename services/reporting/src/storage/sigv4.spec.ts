import { awsUriEncode, canonicalQuery, EMPTY_SHA256, signRequest } from './sigv4';

// AWS's documented example (S3 API reference, "Signature Calculations for the Authorization
// Header: Transferring Payload in a Single Chunk", Example: GET Object).
const AWS_EXAMPLE = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 's3' };

describe('AWS Signature Version 4', () => {
  it('signs AWS’s GET Object example to the documented canonical request, string to sign and signature', () => {
    const signed = signRequest(AWS_EXAMPLE, {
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: { Range: 'bytes=0-9' },
      payloadSha256: EMPTY_SHA256,
      now: new Date('2013-05-24T00:00:00Z'),
    });
    expect(signed.canonicalRequest).toBe(
      ['GET', '/test.txt', '', 'host:examplebucket.s3.amazonaws.com', 'range:bytes=0-9', `x-amz-content-sha256:${EMPTY_SHA256}`, 'x-amz-date:20130524T000000Z', '', 'host;range;x-amz-content-sha256;x-amz-date', EMPTY_SHA256].join('\n'),
    );
    expect(signed.stringToSign).toBe('AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
    expect(signed.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    // fetch derives Host from the URL; the signed value is the URL's host.
    expect(signed.headers.host).toBeUndefined();
  });

  it('encodes paths and queries the way S3 canonicalises them', () => {
    expect(awsUriEncode('reports/a b+c~é.pdf', true)).toBe('reports/a%20b%2Bc~%C3%A9.pdf');
    expect(awsUriEncode('a/b', false)).toBe('a%2Fb');
    expect(canonicalQuery('?prefix=a%20b&list-type=2&acl')).toBe('acl=&list-type=2&prefix=a%20b');
  });
});
