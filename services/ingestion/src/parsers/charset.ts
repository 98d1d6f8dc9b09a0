// Decodes device bytes to text. UTF-8 when the bytes are valid UTF-8; otherwise Japanese legacy
// encodings (older Japanese devices and Windows servers send Shift_JIS, some Unix ones EUC-JP,
// mail gateways ISO-2022-JP). A declared charset is honoured, except that a declared UTF-8 which
// is not valid UTF-8 is sniffed instead (UTF-8 is often a default nobody checked).
import { isUtf8 } from 'node:buffer';
import * as iconv from 'iconv-lite';

// Shift_JIS is read as Windows-31J (CP932), its superset that Japanese Windows writes
// (NEC/IBM extensions such as ①, and FULLWIDTH TILDE for 0x8160).
const SHIFT_JIS = new Set(['shift_jis', 'shift-jis', 'sjis', 'x-sjis', 'ms_kanji', 'csshiftjis', 'windows-31j', 'cp932', 'ms932', 'x-ms-cp932']);
const EUC_JP = new Set(['euc-jp', 'eucjp', 'x-euc-jp', 'cseucpkdfmtjapanese', 'euc_jp']);
// Mailers also label ISO-2022-JP as its Windows variants (CP50220-50222).
const ISO_2022_JP = new Set(['iso-2022-jp', 'csiso2022jp', 'iso2022jp', 'jis', 'iso-2022-jp-1', 'iso-2022-jp-2', 'cp50220', 'cp50221', 'cp50222']);
const UTF_8 = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

function normalizeCharset(declared: string | undefined): string | undefined {
  if (typeof declared !== 'string') return undefined;
  const c = declared.trim().replace(/^["']|["']$/g, '').toLowerCase();
  return c === '' ? undefined : c;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function decodeUtf8(buf: Buffer): string {
  return stripBom(buf.toString('utf8'));
}

function safeIconv(buf: Buffer, encoding: string): string {
  try {
    return stripBom(iconv.decode(buf, encoding));
  } catch {
    return buf.toString('latin1');
  }
}

function looksIso2022Jp(buf: Buffer): boolean {
  let escape = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b >= 0x80) return false;
    if (b === 0x1b && (buf[i + 1] === 0x24 || buf[i + 1] === 0x28)) escape = true;
  }
  return escape;
}

/**
 * ISO-2022-JP (RFC 1468, with JIS X 0201 katakana and JIS X 0212) decoded by rewriting the
 * shifted byte pairs to EUC-JP, whose code space is the same tables with the high bit set.
 */
function decodeIso2022Jp(buf: Buffer): string {
  const out: number[] = [];
  let mode: 'ascii' | 'jis0208' | 'jis0212' | 'kana' = 'ascii';
  let shiftedKana = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x1b) {
      const seq = buf.subarray(i + 1, i + 4).toString('latin1');
      if (seq.startsWith('(B') || seq.startsWith('(J')) {
        mode = 'ascii';
        i += 2;
      } else if (seq.startsWith('(I')) {
        mode = 'kana';
        i += 2;
      } else if (seq.startsWith('$@') || seq.startsWith('$B')) {
        mode = 'jis0208';
        i += 2;
      } else if (seq.startsWith('$(D')) {
        mode = 'jis0212';
        i += 3;
      } else if (seq.startsWith('&@')) {
        i += 2; // JIS X 0208-1990 announcer, followed by ESC $ B
      } else {
        out.push(b);
      }
      continue;
    }
    if (b === 0x0e) {
      shiftedKana = true;
      continue;
    }
    if (b === 0x0f) {
      shiftedKana = false;
      continue;
    }
    if (b < 0x21 || b === 0x7f) {
      out.push(b); // controls and space pass through in every mode
      continue;
    }
    if (shiftedKana || mode === 'kana') {
      out.push(0x8e, b | 0x80);
    } else if (mode === 'jis0208' || mode === 'jis0212') {
      const b2 = buf[i + 1];
      if (b2 === undefined || b2 < 0x21 || b2 > 0x7e) {
        out.push(0x3f);
        continue;
      }
      if (mode === 'jis0212') out.push(0x8f);
      out.push(b | 0x80, b2 | 0x80);
      i++;
    } else {
      out.push(b);
    }
  }
  return safeIconv(Buffer.from(out), 'euc-jp');
}

function validShiftJis(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b < 0x80 || (b >= 0xa1 && b <= 0xdf)) continue;
    if ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) {
      const t = buf[i + 1];
      if (t === undefined || t < 0x40 || t === 0x7f || t > 0xfc) return false;
      i++;
      continue;
    }
    return false;
  }
  return true;
}

function validEucJp(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b < 0x80) continue;
    if (b === 0x8e) {
      const t = buf[i + 1];
      if (t === undefined || t < 0xa1 || t > 0xdf) return false;
      i++;
    } else if (b === 0x8f) {
      const t1 = buf[i + 1];
      const t2 = buf[i + 2];
      if (t1 === undefined || t2 === undefined || t1 < 0xa1 || t1 > 0xfe || t2 < 0xa1 || t2 > 0xfe) return false;
      i += 2;
    } else if (b >= 0xa1 && b <= 0xfe) {
      const t = buf[i + 1];
      if (t === undefined || t < 0xa1 || t > 0xfe) return false;
      i++;
    } else {
      return false;
    }
  }
  return true;
}

// How Japanese a decoding looks: kana and common kanji count for it, half-width katakana (rare
// in real text, typical of a wrong guess) and replacement characters against it.
function japaneseScore(text: string): number {
  let score = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff5e)) score += 2;
    else if (c >= 0xff61 && c <= 0xff9f) score -= 1;
    else if (c === 0xfffd) score -= 5;
  }
  return score;
}

function sniff(buf: Buffer): string {
  if (isUtf8(buf)) return decodeUtf8(buf);
  const sjis = validShiftJis(buf);
  const euc = validEucJp(buf);
  if (euc && !sjis) return safeIconv(buf, 'euc-jp');
  if (euc && sjis) {
    const asEuc = safeIconv(buf, 'euc-jp');
    const asSjis = safeIconv(buf, 'cp932');
    return japaneseScore(asEuc) > japaneseScore(asSjis) ? asEuc : asSjis;
  }
  return safeIconv(buf, 'cp932');
}

export function decodeDeviceText(buf: Buffer, declared?: string): string {
  if (!Buffer.isBuffer(buf)) return '';
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return safeIconv(buf.subarray(2), 'utf-16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return safeIconv(buf.subarray(2), 'utf-16be');
  const charset = normalizeCharset(declared);
  if (charset !== undefined) {
    if (SHIFT_JIS.has(charset)) return safeIconv(buf, 'cp932');
    if (EUC_JP.has(charset)) return safeIconv(buf, 'euc-jp');
    if (ISO_2022_JP.has(charset)) return decodeIso2022Jp(buf);
    if (UTF_8.has(charset)) return isUtf8(buf) ? decodeUtf8(buf) : sniff(buf);
    if (charset !== 'us-ascii' && iconv.encodingExists(charset)) return safeIconv(buf, charset);
  }
  if (looksIso2022Jp(buf)) return decodeIso2022Jp(buf);
  return sniff(buf);
}
