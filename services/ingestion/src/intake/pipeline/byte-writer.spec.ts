import { ByteWriter, copyText } from './byte-writer';

describe('ByteWriter', () => {
  it('encodes appended text as UTF-8, growing past its first size, and hands over exact bytes', () => {
    const w = new ByteWriter(16);
    const pieces = ['ascii ', '監視センター ', 'ü', '😀', 'x'.repeat(1000)];
    for (const p of pieces) w.append(p);
    const bytes = w.take();
    expect(Buffer.from(bytes).toString('utf8')).toBe(pieces.join(''));
    expect(bytes.byteLength).toBe(Buffer.byteLength(pieces.join('')));
    // its own ArrayBuffer, exactly the size of the data (transferable without spare capacity)
    expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
    expect(w.length).toBe(0);
    expect(Buffer.from(w.append('again').take()).toString()).toBe('again');
  });

  it('undoes a piece by truncating, and refuses to truncate beyond what was written', () => {
    const w = new ByteWriter();
    w.append('keep');
    const mark = w.length;
    w.append(', drop');
    w.truncate(mark);
    expect(Buffer.from(w.take()).toString()).toBe('keep');
    expect(() => w.truncate(5)).toThrow(RangeError);
  });
});

describe('copyText', () => {
  it('escapes the characters COPY text format gives meaning to, and nothing else', () => {
    expect(copyText('plain "quoted" text, 監視')).toBe('plain "quoted" text, 監視');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
  });
});
