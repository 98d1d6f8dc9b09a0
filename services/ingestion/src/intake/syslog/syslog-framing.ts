// Syslog over a byte stream (TCP, TLS): RFC 6587 octet counting (`<len> <msg>`) and
// non-transparent framing (a message ended by LF, CRLF or NUL), detected frame by frame because
// some relays mix both on one connection. Pure: no sockets, no timers.
//
// A frame is octet-counted when it starts with digits, a space and `<`: the message of RFC 6587
// is an RFC 5424 message, which always opens with its <PRI>. Without the `<` check a device
// that logs lines such as `1763604153 fw1 dropped ...` (no PRI, an epoch first) would have its
// timestamp read as a 1.7 GB length and lose the rest of the stream.

export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
export const DEFAULT_SAMPLE_BYTES = 512;

// RFC 6587 MSG-LEN is NONZERO-DIGIT *DIGIT; more than 10 digits is not a length but text that
// happens to start with digits.
const MAX_LENGTH_DIGITS = 10;

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SP = 0x20;
const LESS_THAN = 0x3c;
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;

export interface FramingError {
  kind: 'oversized' | 'truncated';
  reason: string;
  // the first bytes of the offending frame, for diagnosis (never the whole frame)
  sample: Buffer;
}

export interface FramingResult {
  frames: Buffer[];
  errors: FramingError[];
}

export interface SyslogFramerOptions {
  maxFrameBytes?: number;
  sampleBytes?: number;
}

type Mode =
  | 'start' // between frames
  | 'length' // reading the digits of what may be an octet count
  | 'lengthSpace' // digits and a space read: octet counting if a PRI follows
  | 'octets' // reading an octet-counted message of known length
  | 'line' // reading a message ended by LF or NUL
  | 'skipLine' // discarding an oversized line up to its end
  | 'skipOctets'; // discarding an oversized octet-counted message

export class SyslogFramer {
  readonly maxFrameBytes: number;
  private readonly sampleBytes: number;
  private mode: Mode = 'start';
  // bytes of the frame being assembled; kept as chunks so a frame arriving one byte at a time
  // is joined once, not re-copied on every chunk
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private declaredLength = 0;
  private lengthDigits = 0;
  private skipRemaining = 0;

  constructor(options: SyslogFramerOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.sampleBytes = options.sampleBytes ?? DEFAULT_SAMPLE_BYTES;
    if (!Number.isInteger(this.maxFrameBytes) || this.maxFrameBytes < 1) {
      throw new RangeError(`maxFrameBytes must be a positive integer, got ${options.maxFrameBytes}`);
    }
  }

  // Bytes held for a frame that is not complete yet; between calls never more than
  // maxFrameBytes + 1 (an oversized line is dropped as soon as it is known to be one).
  get bufferedBytes(): number {
    return this.partsBytes;
  }

  pushChunk(chunk: Buffer): FramingResult {
    const out: FramingResult = { frames: [], errors: [] };
    let pos = 0;
    while (pos < chunk.length) {
      switch (this.mode) {
        case 'start': {
          const byte = chunk[pos];
          if (byte === LF || byte === NUL) {
            // a trailer after an octet-counted frame, or an empty line
            pos++;
          } else if (byte >= DIGIT_1 && byte <= DIGIT_9) {
            this.mode = 'length';
            this.declaredLength = 0;
            this.lengthDigits = 0;
          } else {
            this.mode = 'line';
          }
          break;
        }
        case 'length':
          pos = this.readLength(chunk, pos);
          break;
        case 'lengthSpace':
          if (chunk[pos] === LESS_THAN) this.startOctets(chunk, pos, out);
          else this.mode = 'line';
          break;
        case 'octets': {
          const take = Math.min(this.declaredLength - this.partsBytes, chunk.length - pos);
          this.append(chunk.subarray(pos, pos + take));
          pos += take;
          if (this.partsBytes === this.declaredLength) {
            out.frames.push(this.takeParts());
            this.mode = 'start';
          }
          break;
        }
        case 'line':
          pos = this.readLine(chunk, pos, out);
          break;
        case 'skipLine': {
          const end = indexOfTrailer(chunk, pos);
          if (end < 0) {
            pos = chunk.length;
          } else {
            pos = end + 1;
            this.mode = 'start';
          }
          break;
        }
        case 'skipOctets': {
          const take = Math.min(this.skipRemaining, chunk.length - pos);
          this.skipRemaining -= take;
          pos += take;
          if (this.skipRemaining === 0) this.mode = 'start';
          break;
        }
      }
    }
    return out;
  }

  // Bytes of a frame begun but not ended (no trailer, or fewer octets than declared yet): what a
  // connection closing now would cut off.
  get pendingBytes(): number {
    return this.mode === 'start' || this.mode === 'skipLine' || this.mode === 'skipOctets' ? 0 : this.partsBytes;
  }

  // End of stream: a last line without trailer is still a message; a truncated octet-counted
  // message is reported, not passed on as if it were whole.
  flush(): FramingResult {
    const out: FramingResult = { frames: [], errors: [] };
    if (this.mode === 'line' || this.mode === 'length' || this.mode === 'lengthSpace') {
      this.emitLine(this.takeParts(), out);
    } else if (this.mode === 'octets') {
      const got = this.partsBytes;
      const partial = this.takeParts();
      out.errors.push({
        kind: 'truncated',
        reason: `truncated octet-counted frame: ${this.declaredLength} bytes declared, ${got} received`,
        sample: copy(partial.subarray(0, this.sampleBytes)),
      });
    }
    this.reset();
    return out;
  }

  reset(): void {
    this.mode = 'start';
    this.parts = [];
    this.partsBytes = 0;
    this.declaredLength = 0;
    this.lengthDigits = 0;
    this.skipRemaining = 0;
  }

  private readLength(chunk: Buffer, from: number): number {
    let pos = from;
    while (pos < chunk.length) {
      const byte = chunk[pos];
      if (byte >= DIGIT_0 && byte <= DIGIT_9 && this.lengthDigits < MAX_LENGTH_DIGITS) {
        this.declaredLength = this.declaredLength * 10 + (byte - DIGIT_0);
        this.lengthDigits++;
        pos++;
        continue;
      }
      if (byte === SP) {
        // kept in parts: if no PRI follows, the digits and space are the start of a line
        this.append(chunk.subarray(from, pos + 1));
        this.mode = 'lengthSpace';
        return pos + 1;
      }
      // digits followed by anything else: a message that starts with digits (no PRI)
      this.append(chunk.subarray(from, pos));
      this.mode = 'line';
      return pos;
    }
    this.append(chunk.subarray(from, pos));
    return pos;
  }

  // `pos` is at the `<` that opens the message; the length prefix is framing, not message.
  private startOctets(chunk: Buffer, pos: number, out: FramingResult): void {
    this.parts = [];
    this.partsBytes = 0;
    if (this.declaredLength <= this.maxFrameBytes) {
      this.mode = 'octets';
      return;
    }
    // the declared length is the exact way back into step: skip it, counting, not buffering
    out.errors.push({
      kind: 'oversized',
      reason: `octet-counted frame of ${this.declaredLength} bytes exceeds the ${this.maxFrameBytes} byte limit`,
      sample: copy(chunk.subarray(pos, pos + this.sampleBytes)),
    });
    this.skipRemaining = this.declaredLength;
    this.mode = 'skipOctets';
  }

  private readLine(chunk: Buffer, from: number, out: FramingResult): number {
    const end = indexOfTrailer(chunk, from);
    if (end >= 0) {
      this.append(chunk.subarray(from, end));
      this.emitLine(this.takeParts(), out);
      this.mode = 'start';
      return end + 1;
    }
    this.append(chunk.subarray(from));
    // + 1: the CR of a CRLF trailer may be buffered while its LF is still on the wire
    if (this.partsBytes > this.maxFrameBytes + 1) {
      this.reportOversizedLine(this.takeParts(), out);
      this.mode = 'skipLine';
    }
    return chunk.length;
  }

  private emitLine(line: Buffer, out: FramingResult): void {
    const length = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    if (length === 0) return;
    if (length > this.maxFrameBytes) {
      this.reportOversizedLine(line, out);
      return;
    }
    out.frames.push(length === line.length ? line : line.subarray(0, length));
  }

  private reportOversizedLine(line: Buffer, out: FramingResult): void {
    out.errors.push({
      kind: 'oversized',
      reason: `frame exceeds the ${this.maxFrameBytes} byte limit without a trailer; skipped to the next newline`,
      sample: copy(line.subarray(0, this.sampleBytes)),
    });
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    this.parts.push(part);
    this.partsBytes += part.length;
  }

  // Always a copy, so a frame never pins the (larger) socket chunk it was cut from.
  private takeParts(): Buffer {
    const frame = this.parts.length === 1 ? copy(this.parts[0]) : Buffer.concat(this.parts, this.partsBytes);
    this.parts = [];
    this.partsBytes = 0;
    return frame;
  }
}

function indexOfTrailer(chunk: Buffer, from: number): number {
  const lf = chunk.indexOf(LF, from);
  // NUL trailers are rare: only look for one before the first LF
  const nul = chunk.subarray(from, lf < 0 ? chunk.length : lf).indexOf(NUL);
  return nul >= 0 ? from + nul : lf;
}

function copy(buf: Buffer): Buffer {
  const out = Buffer.allocUnsafe(buf.length);
  buf.copy(out);
  return out;
}
