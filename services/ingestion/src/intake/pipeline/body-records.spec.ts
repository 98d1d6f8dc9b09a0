import { splitBody } from './body-records';

const http = (text: string | Buffer, contentType?: string) => splitBody({ kind: 'http', bytes: Buffer.isBuffer(text) ? text : Buffer.from(text), contentType });
const texts = (records: ReturnType<typeof http>) => ('error' in records ? records : records.map((r) => r.text ?? r.rejectedReason));

// The one place that decides how a body becomes records, for HTTPS bodies and mail alike.
describe('splitBody', () => {
  it('splits an HTTPS body into JSON documents, array elements or lines', () => {
    expect(texts(http('{"a":1}\n{"a":2}\n', 'application/x-ndjson'))).toEqual(['{"a":1}', '{"a":2}']);
    expect(texts(http('[{"a":1},"<13>a line"]', 'application/json'))).toEqual(['{"a":1}', '<13>a line']);
    expect(texts(http('<13>one\r\n\r\n<13>two', 'text/plain'))).toEqual(['<13>one', '<13>two']);
  });

  it('keeps the good lines of NDJSON with a broken one, refuses an unreadable body whole, and an empty one outright', () => {
    expect(texts(http('{"a":1}\n{"a":\n{"a":3}'))).toEqual(['{"a":1}', '{"a":', '{"a":3}']);
    const [broken] = http('{"a": tru', 'application/json') as { bytes?: Uint8Array; rejectedReason?: string }[];
    expect(broken.rejectedReason).toMatch(/^JSON: /);
    expect(Buffer.from(broken.bytes!).toString()).toBe('{"a": tru');
    expect(http('  \n', 'text/plain')).toEqual({ error: 'empty body' });
    expect(texts(http(Buffer.from([0x3c, 0x31, 0x00, 0x0a])))).toEqual(['body contains binary data (NUL byte at position 2)']);
  });

  it('takes a mail text of a JSON product as its documents, or whole when it is not JSON', () => {
    expect(splitBody({ kind: 'mail', text: '{"alert":1}\n{"alert":2}', product: 'FIREEYE_NX' })).toEqual([{ text: '{"alert":1}' }, { text: '{"alert":2}' }]);
    const greeting = 'Dear SOC,\nan alert: {"alert":1}\nRegards';
    expect(splitBody({ kind: 'mail', text: greeting, product: 'FIREEYE_NX' })).toEqual([{ text: greeting }]);
  });

  it('takes a mail text of a line-based product line by line', () => {
    expect(splitBody({ kind: 'mail', text: 'date=2025-01-01 a=1\r\n\r\ndate=2025-01-01 a=2', product: 'FORTIGATE' })).toEqual([
      { text: 'date=2025-01-01 a=1' },
      { text: 'date=2025-01-01 a=2' },
    ]);
  });
});
