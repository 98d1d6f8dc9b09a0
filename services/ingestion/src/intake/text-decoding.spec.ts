import iconv from 'iconv-lite';
import { decodeIso2022Jp, decodeText, detectCharset } from './text-decoding';

// "日本語" in ISO-2022-JP (RFC 1468): ESC $ B, JIS X 0208 0x467C 0x4B5C 0x386C, ESC ( B
const NIHONGO_JIS = Buffer.from([0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x38, 0x6c, 0x1b, 0x28, 0x42]);
const ALERT = '【警告】不正通信を検知しました：ホスト pc-sales-017 ①';

describe('decodeText', () => {
  it('decodes ISO-2022-JP, declared or recognised by its escape sequences', () => {
    expect(decodeText(NIHONGO_JIS, 'ISO-2022-JP')).toBe('日本語');
    expect(decodeText(Buffer.concat([Buffer.from('alert: '), NIHONGO_JIS, Buffer.from(' end\r\n')]))).toBe('alert: 日本語 end\r\n');
  });

  it('decodes half-width katakana and JIS X 0212 in ISO-2022-JP', () => {
    // ESC ( I 0x31 0x32 = ｱｲ ; ESC $ ( D 0x30 0x21 = 丂 (JIS X 0212)
    const bytes = Buffer.from([0x1b, 0x28, 0x49, 0x31, 0x32, 0x1b, 0x24, 0x28, 0x44, 0x30, 0x21, 0x1b, 0x28, 0x42, 0x21]);
    expect(decodeIso2022Jp(bytes)).toBe('ｱｲ丂!');
  });

  it('decodes Shift_JIS as Windows-31J, so NEC extensions such as ① survive', () => {
    const bytes = iconv.encode(ALERT, 'cp932');
    expect(decodeText(bytes, 'Shift_JIS')).toBe(ALERT);
    expect(decodeText(bytes, 'x-sjis')).toBe(ALERT);
  });

  it('recognises undeclared UTF-8, Shift_JIS and EUC-JP', () => {
    expect(detectCharset(Buffer.from(ALERT))).toBe('utf-8');
    expect(detectCharset(iconv.encode(ALERT, 'cp932'))).toBe('cp932');
    expect(detectCharset(iconv.encode('不正通信を検知', 'euc-jp'))).toBe('euc-jp');
    expect(decodeText(iconv.encode(ALERT, 'cp932'))).toBe(ALERT);
    expect(decodeText(iconv.encode('不正通信を検知', 'euc-jp'))).toBe('不正通信を検知');
  });

  it('honours a byte order mark over a wrong declaration', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('監視')]), 'Shift_JIS')).toBe('監視');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('監視', 'utf16le')]))).toBe('監視');
  });

  it('looks at the bytes when the declared charset is us-ascii or unknown', () => {
    const sjis = iconv.encode('監視', 'cp932');
    expect(decodeText(sjis, 'us-ascii')).toBe('監視');
    expect(decodeText(sjis, 'x-unknown-charset')).toBe('監視');
  });

  it('falls back to Windows-1252 for bytes that are no Japanese encoding', () => {
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]))).toBe('café €');
  });
});
