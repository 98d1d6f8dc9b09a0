import * as iconv from 'iconv-lite';
import { decodeDeviceText } from './charset';
import { lines, ownBytes } from './spec-helpers';

describe('decodeDeviceText', () => {
  it('returns UTF-8 unchanged and drops a BOM', () => {
    expect(decodeDeviceText(Buffer.from('\uFEFFファイル: 請求書.zip', 'utf8'))).toBe('ファイル: 請求書.zip');
  });

  it('decodes Shift_JIS bytes written by hand, not only by the library', () => {
    // 日本 = 93 FA 96 7B, テスト = 83 65 83 58 83 67 in Shift_JIS.
    expect(decodeDeviceText(Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x20, 0x83, 0x65, 0x83, 0x58, 0x83, 0x67]))).toBe('日本 テスト');
  });

  it('reads a Shift_JIS FortiGate line as Japanese, not mojibake', () => {
    const text = decodeDeviceText(ownBytes('fortigate-ja.sjis.log'));
    expect(text).toContain('devname="FGT-大阪-01"');
    expect(text).toContain('user="田中太郎"');
    expect(text).toContain('filename="請求書_2026年11月.zip"');
    expect(text).not.toContain('\uFFFD');
  });

  it('keeps backslashes of a Shift_JIS SEP path (0x5C is "\\", not a yen sign)', () => {
    const [line] = lines(decodeDeviceText(ownBytes('symantec-sep-ja.sjis.log')));
    expect(line).toContain('File path: C:\\Users\\佐藤\\デスクトップ\\見積書.doc');
    expect(line).toContain('Computer name: 経理-PC-003');
  });

  it('decodes EUC-JP when that is the only reading that fits', () => {
    const euc = iconv.encode('ウイルスを検出しました: 請求書.exe', 'euc-jp');
    expect(decodeDeviceText(euc)).toBe('ウイルスを検出しました: 請求書.exe');
  });

  it('decodes ISO-2022-JP, sniffed or declared', () => {
    // "日本語" in ISO-2022-JP: ESC $ B 46 7C 4B 5C 38 6C ESC ( B
    const jis = Buffer.from([0x41, 0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x38, 0x6c, 0x1b, 0x28, 0x42, 0x5a]);
    expect(decodeDeviceText(jis)).toBe('A日本語Z');
    expect(decodeDeviceText(jis, 'ISO-2022-JP')).toBe('A日本語Z');
  });

  it('decodes mail ISO-2022-JP labelled as a Windows variant, with SO/SI half-width katakana', () => {
    // ESC $ B 46 7C 4B 5C ESC ( B, then SO 31 32 SI (ｱｲ) as CP50221 writes them
    const bytes = Buffer.from([0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42, 0x0e, 0x31, 0x32, 0x0f, 0x21]);
    expect(decodeDeviceText(bytes, 'CP50221')).toBe('日本ｱｲ!');
  });

  it('reads bytes declared us-ascii, or in a charset nobody knows, by looking at them', () => {
    const sjis = iconv.encode('監視', 'cp932');
    expect(decodeDeviceText(sjis, 'us-ascii')).toBe('監視');
    expect(decodeDeviceText(sjis, 'x-unknown-charset')).toBe('監視');
  });

  it('honours a declared charset', () => {
    const sjis = iconv.encode('検知', 'shift_jis');
    expect(decodeDeviceText(sjis, 'Shift_JIS')).toBe('検知');
    expect(decodeDeviceText(sjis, '"windows-31j"')).toBe('検知');
    expect(decodeDeviceText(iconv.encode('検知', 'euc-jp'), 'EUC-JP')).toBe('検知');
    expect(decodeDeviceText(Buffer.from('検知', 'utf8'), 'utf-8')).toBe('検知');
  });

  it('sniffs when a declared UTF-8 is not UTF-8', () => {
    expect(decodeDeviceText(iconv.encode('隔離しました', 'shift_jis'), 'utf-8')).toBe('隔離しました');
  });

  it('decodes UTF-16 with a byte order mark', () => {
    expect(decodeDeviceText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('警告', 'utf16le')]))).toBe('警告');
  });

  it('never throws on garbage', () => {
    expect(typeof decodeDeviceText(Buffer.from([0xff, 0xfe, 0xfd, 0x80, 0x00, 0x81]))).toBe('string');
    expect(typeof decodeDeviceText(Buffer.from([0x81]), 'no-such-charset')).toBe('string');
  });
});
