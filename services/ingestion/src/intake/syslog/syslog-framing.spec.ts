import fc from 'fast-check';
import { FramingError, SyslogFramer } from './syslog-framing';

function frameAll(chunks: Buffer[], maxFrameBytes?: number): { frames: string[]; errors: FramingError[] } {
  const framer = new SyslogFramer({ maxFrameBytes });
  const frames: string[] = [];
  const errors: FramingError[] = [];
  for (const chunk of [...chunks.map((c) => framer.pushChunk(c)), framer.flush()]) {
    frames.push(...chunk.frames.map((f) => f.toString('latin1')));
    errors.push(...chunk.errors);
  }
  return { frames, errors };
}

const b = (s: string) => Buffer.from(s, 'latin1');
const octet = (msg: string) => `${Buffer.byteLength(msg, 'latin1')} ${msg}`;

describe('SyslogFramer', () => {
  it('splits non-transparent frames on LF, CRLF and NUL and skips empty lines', () => {
    const { frames, errors } = frameAll([b('<13>one\n<13>two\r\n\n\r\n<13>three\0<13>four\0\n')]);
    expect(frames).toEqual(['<13>one', '<13>two', '<13>three', '<13>four']);
    expect(errors).toEqual([]);
  });

  it('reads octet-counted frames, newlines inside the message included', () => {
    const stream = octet('<34>1 2026-11-20T02:14:09Z host app - - - first\nline') + octet('<34>second');
    expect(frameAll([b(stream)]).frames).toEqual(['<34>1 2026-11-20T02:14:09Z host app - - - first\nline', '<34>second']);
  });

  it('detects the framing of every frame on its own when a sender mixes them', () => {
    const stream = `${octet('<1>a b')}<2>plain line\n${octet('<3>c\nd')}\n<4>crlf\r\n${octet('<5>e')}`;
    expect(frameAll([b(stream)]).frames).toEqual(['<1>a b', '<2>plain line', '<3>c\nd', '<4>crlf', '<5>e']);
  });

  it('treats a message starting with digits but no length prefix as a line', () => {
    const stream = [
      '1,2026/11/20 11:02:33,PA-VM,THREAT',
      '2026-11-20T11:02:33 fw1 dropped',
      '12345678901 too many digits',
      // digits and a space, but no <PRI> after them: an epoch timestamp, not a 1.7 GB frame
      '1763604153 fw1 dropped tcp 10.20.30.41',
      '12 packets dropped',
    ];
    const { frames, errors } = frameAll([b(stream.map((line) => `${line}\n`).join(''))]);
    expect(frames).toEqual(stream);
    expect(errors).toEqual([]);
  });

  it('gives the same frames whatever byte offset a chunk boundary falls on', () => {
    const stream = b(`${octet('<1>x\ny')}<2>line one\r\n${octet('<3>z')}<4>nul end\0${octet('<5>last')}<6>tail\n`);
    const expected = frameAll([stream]).frames;
    expect(expected).toEqual(['<1>x\ny', '<2>line one', '<3>z', '<4>nul end', '<5>last', '<6>tail']);
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(frameAll([stream.subarray(0, cut), stream.subarray(cut)]).frames).toEqual(expected);
    }
    for (let cut = 1; cut < stream.length - 1; cut++) {
      const parts = [stream.subarray(0, cut), stream.subarray(cut, cut + 1), stream.subarray(cut + 1)];
      expect(frameAll(parts).frames).toEqual(expected);
    }
    expect(frameAll([...stream].map((byte) => Buffer.from([byte]))).frames).toEqual(expected);
  });

  it('reports an oversized line with its first bytes and resumes at the next newline', () => {
    const long = `<13>${'A'.repeat(100)}`;
    const { frames, errors } = frameAll([b(`<13>before\n${long}\n<13>after\n`)], 32);
    expect(frames).toEqual(['<13>before', '<13>after']);
    expect(errors).toHaveLength(1);
    expect(errors[0].kind).toBe('oversized');
    expect(errors[0].reason).toContain('32 byte limit');
    expect(errors[0].sample.toString('latin1')).toBe(long);
  });

  it('never buffers more than the limit while an endless line streams in', () => {
    const framer = new SyslogFramer({ maxFrameBytes: 64 * 1024 });
    const chunk = Buffer.alloc(1024, 0x41);
    const errors: FramingError[] = [];
    for (let i = 0; i < 1024; i++) {
      errors.push(...framer.pushChunk(chunk).errors);
      expect(framer.bufferedBytes).toBeLessThanOrEqual(64 * 1024 + 1);
    }
    expect(errors).toHaveLength(1);
    expect(errors[0].sample).toHaveLength(512);
    const tail = framer.pushChunk(b('AAA\n<13>resynchronised\n'));
    expect(tail.frames.map((f) => f.toString())).toEqual(['<13>resynchronised']);
  });

  it('skips exactly the declared length of an oversized octet-counted frame', () => {
    const big = `<13>${'B'.repeat(200)}\nwith a newline inside`;
    const { frames, errors } = frameAll([b(`${octet(big)}${octet('<13>next')}`)], 64);
    expect(frames).toEqual(['<13>next']);
    expect(errors).toHaveLength(1);
    expect(errors[0].reason).toContain(`${big.length} bytes exceeds the 64 byte limit`);
    expect(errors[0].sample.toString('latin1').startsWith('<13>BBBB')).toBe(true);
  });

  it('accepts a line of exactly the limit with a CRLF split across chunks', () => {
    const line = `<1>${'x'.repeat(29)}`;
    expect(line).toHaveLength(32);
    const { frames, errors } = frameAll([b(`${line}\r`), b('\n')], 32);
    expect(frames).toEqual([line]);
    expect(errors).toEqual([]);
  });

  it('on flush passes on a last line without trailer and reports a truncated octet-counted frame', () => {
    expect(frameAll([b('<13>no trailer')]).frames).toEqual(['<13>no trailer']);
    const { frames, errors } = frameAll([b('100 <13>cut short')]);
    expect(frames).toEqual([]);
    expect(errors).toEqual([
      { kind: 'truncated', reason: 'truncated octet-counted frame: 100 bytes declared, 13 received', sample: b('<13>cut short') },
    ]);
  });

  it('frames copies that do not pin the socket chunk', () => {
    const chunk = b('<13>a\n<13>b\n');
    const [first] = new SyslogFramer().pushChunk(chunk).frames;
    chunk.fill(0x5a);
    expect(first.toString()).toBe('<13>a');
  });

  it('recovers any mix of frames from any chunking (property)', () => {
    const lineMessage = fc
      .string({ unit: fc.constantFrom(...'abc xyz=,"\t<>1290'.split('')), minLength: 1, maxLength: 40 })
      .map((s) => `<1>${s}`);
    // an RFC 5424 message opens with its PRI; after that, any byte
    const octetMessage = fc.uint8Array({ maxLength: 60 }).map((bytes) => `<${Buffer.from(bytes).toString('latin1')}`);
    const frame = fc.oneof(
      fc.record({ kind: fc.constant('line' as const), msg: lineMessage, trailer: fc.constantFrom('\n', '\r\n', '\0') }),
      fc.record({ kind: fc.constant('octet' as const), msg: octetMessage, trailer: fc.constantFrom('', '\n') }),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 8 }), (frames, cuts) => {
        const wire = b(frames.map((f) => (f.kind === 'line' ? f.msg : octet(f.msg)) + f.trailer).join(''));
        const offsets = [...new Set(cuts.map((c) => (wire.length ? c % wire.length : 0)))].sort((x, y) => x - y);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const at of [...offsets, wire.length]) {
          chunks.push(wire.subarray(prev, at));
          prev = at;
        }
        const result = frameAll(chunks, 1024);
        expect(result.errors).toEqual([]);
        expect(result.frames).toEqual(frames.map((f) => f.msg));
      }),
    );
  });
});
