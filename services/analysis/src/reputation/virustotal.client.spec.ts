import { fileReportFailureOf, fileReputationOf, retryAfterMs } from './virustotal.client';

const HASH = 'a'.repeat(64);

function fileObject(attributes: Record<string, unknown>) {
  return { data: { type: 'file', id: HASH, attributes } };
}

describe('fileReputationOf (a 200 file report)', () => {
  it('takes the stats, the ratio over the engines that gave a verdict, and the engines that flagged the file', () => {
    const r = fileReputationOf(
      HASH,
      fileObject({
        meaningful_name: 'invoice.doc.exe',
        type_description: 'Win32 EXE',
        last_analysis_date: 1_700_000_000,
        last_analysis_stats: { malicious: 2, suspicious: 1, undetected: 3, harmless: 1, timeout: 2, 'type-unsupported': 4, failure: 1 },
        last_analysis_results: {
          Kaspersky: { category: 'malicious', engine_name: 'Kaspersky', result: 'HEUR:Trojan.Win32.Generic' },
          'ESET-NOD32': { category: 'malicious', engine_name: 'ESET-NOD32', result: 'Win32/Agent.ABC' },
          Cylance: { category: 'suspicious', engine_name: 'Cylance', result: null },
          ClamAV: { category: 'undetected', engine_name: 'ClamAV', result: null },
          Avast: { category: 'timeout', engine_name: 'Avast', result: null },
        },
      }),
    );
    expect(r).toEqual({
      hash: HASH,
      found: true,
      malicious: 2,
      suspicious: 1,
      undetected: 3,
      harmless: 1,
      totalEngines: 7,
      detectionRatio: '2/7',
      detectedBy: [
        { engine: 'Cylance', category: 'suspicious', result: null },
        { engine: 'ESET-NOD32', category: 'malicious', result: 'Win32/Agent.ABC' },
        { engine: 'Kaspersky', category: 'malicious', result: 'HEUR:Trojan.Win32.Generic' },
      ],
      meaningfulName: 'invoice.doc.exe',
      typeDescription: 'Win32 EXE',
      lastAnalysisAt: '2023-11-14T22:13:20.000Z',
    });
  });

  it('reads a file never analysed as 0/0 with no date, and names an engine by its key when engine_name is missing', () => {
    const r = fileReputationOf(HASH, fileObject({ last_analysis_results: { Foo: { category: 'malicious', result: 'X' } } }));
    expect(r).toMatchObject({ detectionRatio: '0/0', totalEngines: 0, lastAnalysisAt: null, meaningfulName: null, detectedBy: [{ engine: 'Foo', category: 'malicious', result: 'X' }] });
  });

  it('refuses a body that is not a file object', () => {
    expect(() => fileReputationOf(HASH, { error: { code: 'X' } })).toThrow('file report without data.attributes');
  });
});

describe('fileReportFailureOf (VirusTotal error answers)', () => {
  const err = (code: string) => ({ error: { code, message: `${code} happened` } });

  it.each([
    [404, 'NotFoundError', 'not-found'],
    [429, 'QuotaExceededError', 'quota-exceeded'],
    [429, 'TooManyRequestsError', 'quota-exceeded'],
    [401, 'WrongCredentialsError', 'unauthorized'],
    [401, 'AuthenticationRequiredError', 'unauthorized'],
    [503, 'TransientError', 'transient'],
    [504, 'DeadlineExceededError', 'transient'],
    [500, 'HTTP500', 'transient'],
    [400, 'NotAvailableYet', 'transient'],
    [400, 'InvalidArgumentError', 'rejected'],
    [403, 'ForbiddenError', 'rejected'],
  ])('maps %i %s to %s', (status, code, kind) => {
    expect(fileReportFailureOf(HASH, status, code.startsWith('HTTP') ? undefined : err(code), {}).kind).toBe(kind);
  });

  it('answers a 404 as a not-found reputation', () => {
    expect(fileReportFailureOf(HASH, 404, err('NotFoundError'), {})).toEqual({
      kind: 'not-found',
      reputation: expect.objectContaining({ hash: HASH, found: false, detectionRatio: '0/0', detectedBy: [] }),
    });
  });

  it('keeps the code and message, and a 429 Retry-After in seconds or as a date', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    expect(fileReportFailureOf(HASH, 429, err('QuotaExceededError'), { 'retry-after': '7' }, now)).toEqual({ kind: 'quota-exceeded', code: 'QuotaExceededError', message: 'QuotaExceededError happened', retryAfterMs: 7000 });
    expect(fileReportFailureOf(HASH, 429, err('QuotaExceededError'), {}, now)).toMatchObject({ retryAfterMs: undefined });
    expect(retryAfterMs('Wed, 02 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
