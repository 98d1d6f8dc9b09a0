import iconv from 'iconv-lite';

// Bytes from Japanese devices and mailers arrive as UTF-8, Shift_JIS (CP932), EUC-JP or
// ISO-2022-JP, with or without a declared charset. iconv-lite has no ISO-2022-JP codec, so that
// one is rewritten to EUC-JP (the same JIS X 0208 code points with the high bit set) first.

const ESC = 0x1b;

export function decodeText(bytes: Buffer, declaredCharset?: string | null): string {
  const bom = decodeBom(bytes);
  if (bom !== null) return bom;
  const charset = canonicalCharset(declaredCharset);
  if (charset === 'iso-2022-jp') return decodeIso2022Jp(bytes);
  if (charset && charset !== 'us-ascii' && iconv.encodingExists(charset)) return iconv.decode(bytes, charset);
  // undeclared, unknown, or "us-ascii" that is not: look at the bytes
  const detected = detectCharset(bytes);
  return detected === 'iso-2022-jp' ? decodeIso2022Jp(bytes) : iconv.decode(bytes, detected);
}

// The charset the bytes most likely use, as an iconv-lite name (ISO-2022-JP is reported as
// 'iso-2022-jp' and must go through decodeIso2022Jp).
export function detectCharset(bytes: Buffer): string {
  if (looksLikeIso2022Jp(bytes)) return 'iso-2022-jp';
  if (isValidUtf8(bytes)) return 'utf-8';
  // Shift_JIS kana and most kanji use lead bytes 0x81-0x9F that EUC-JP never has, while valid
  // EUC-JP often also scans as (nonsense) Shift_JIS: test EUC-JP first.
  if (isValidEucJp(bytes)) return 'euc-jp';
  if (isValidShiftJis(bytes)) return 'cp932';
  return 'windows-1252';
}

function canonicalCharset(charset: string | null | undefined): string | null {
  if (!charset) return null;
  const name = charset.trim().toLowerCase().replace(/^["']|["']$/g, '');
  const compact = name.replace(/[^a-z0-9]/g, '');
  if (compact.startsWith('iso2022jp') || compact === 'csiso2022jp' || /^cp5022[0-2]$/.test(compact)) return 'iso-2022-jp';
  // mail says Shift_JIS and means Windows-31J (CP932): NEC and IBM extensions such as ① and ㈱
  if (['shiftjis', 'sjis', 'xsjis', 'mskanji', 'windows31j', 'cp932', 'csshiftjis', 'ms932'].includes(compact)) return 'cp932';
  if (['eucjp', 'xeucjp', 'cseucpkdfmtjapanese'].includes(compact)) return 'euc-jp';
  if (['usascii', 'ascii', 'ansix3.41968'].includes(compact)) return 'us-ascii';
  return name;
}

function decodeBom(bytes: Buffer): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return bytes.toString('utf8', 3);
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf-16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf-16be');
  return null;
}

function looksLikeIso2022Jp(bytes: Buffer): boolean {
  for (let i = bytes.indexOf(ESC); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(ESC, i + 1)) {
    const a = bytes[i + 1];
    const b = bytes[i + 2];
    // ESC $ @, ESC $ B, ESC $ ( D, ESC ( J, ESC ( I
    if (a === 0x24 && (b === 0x40 || b === 0x42 || b === 0x28)) return true;
    if (a === 0x28 && (b === 0x4a || b === 0x49)) return true;
  }
  return false;
}

export function isValidUtf8(bytes: Buffer): boolean {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return false;
    if (i + need >= bytes.length) return false;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

function isValidEucJp(bytes: Buffer): boolean {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) i++;
    else if (b === 0x8e) {
      if (!inRange(bytes[i + 1], 0xa1, 0xdf)) return false;
      i += 2;
    } else if (b === 0x8f) {
      if (!inRange(bytes[i + 1], 0xa1, 0xfe) || !inRange(bytes[i + 2], 0xa1, 0xfe)) return false;
      i += 3;
    } else if (inRange(b, 0xa1, 0xfe)) {
      if (!inRange(bytes[i + 1], 0xa1, 0xfe)) return false;
      i += 2;
    } else return false;
  }
  return true;
}

function isValidShiftJis(bytes: Buffer): boolean {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80 || inRange(b, 0xa1, 0xdf)) i++;
    else if (inRange(b, 0x81, 0x9f) || inRange(b, 0xe0, 0xfc)) {
      const t = bytes[i + 1];
      if (!(inRange(t, 0x40, 0x7e) || inRange(t, 0x80, 0xfc))) return false;
      i += 2;
    } else return false;
  }
  return true;
}

function inRange(b: number | undefined, lo: number, hi: number): boolean {
  return b !== undefined && b >= lo && b <= hi;
}

// ISO-2022-JP (RFC 1468) and the common extensions mailers emit (JIS X 0212, half-width kana by
// ESC ( I or SO/SI as in CP50221), rewritten to EUC-JP bytes and decoded by iconv-lite.
export function decodeIso2022Jp(bytes: Buffer): string {
  type CharacterSet = 'ascii' | 'jis0208' | 'jis0212' | 'kana';
  const out = Buffer.allocUnsafe(bytes.length * 2);
  let o = 0;
  let set: CharacterSet = 'ascii';
  let beforeShiftOut: CharacterSet = 'ascii';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === ESC) {
      const next = bytes.subarray(i + 1, i + 4).toString('latin1');
      if (next.startsWith('$@') || next.startsWith('$B')) [set, i] = ['jis0208', i + 3];
      else if (next.startsWith('$(D')) [set, i] = ['jis0212', i + 4];
      else if (next.startsWith('(B') || next.startsWith('(J')) [set, i] = ['ascii', i + 3];
      else if (next.startsWith('(I')) [set, i] = ['kana', i + 3];
      else if (next.startsWith('&@')) i += 3; // JIS X 0208-1990 announcer, followed by ESC $ B
      else out[o++] = bytes[i++];
      continue;
    }
    if (b === 0x0e) {
      beforeShiftOut = set;
      set = 'kana';
      i++;
      continue;
    }
    if (b === 0x0f) {
      set = beforeShiftOut;
      i++;
      continue;
    }
    // control characters (CR, LF) pass through even inside a double-byte run
    if (b < 0x21 || b > 0x7e || set === 'ascii') {
      out[o++] = b;
      i++;
      continue;
    }
    if (set === 'kana') {
      out[o++] = 0x8e;
      out[o++] = b | 0x80;
      i++;
      continue;
    }
    const trail = bytes[i + 1];
    if (trail === undefined || trail < 0x21 || trail > 0x7e) {
      out[o++] = b;
      i++;
      continue;
    }
    if (set === 'jis0212') out[o++] = 0x8f;
    out[o++] = b | 0x80;
    out[o++] = trail | 0x80;
    i += 2;
  }
  return iconv.decode(out.subarray(0, o), 'euc-jp');
}
