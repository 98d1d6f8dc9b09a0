// Text appended straight into UTF-8 bytes. The parse workers serialize tens of thousands of
// rows and ECS documents a second; joining them into one string first, then measuring and
// encoding it, walks every byte three times and leaves a large string for the collector.
// Here each piece is encoded once, into a buffer that grows by doubling.
export class ByteWriter {
  private buf: Buffer;
  private at = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(16, initialBytes));
  }

  get length(): number {
    return this.at;
  }

  append(text: string): this {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    if (this.at + text.length * 3 > this.buf.length) this.grow(this.at + text.length * 3);
    this.at += this.buf.write(text, this.at, 'utf8');
    return this;
  }

  /** Forgets everything after `length` bytes (to undo a piece that did not fit). */
  truncate(length: number): void {
    if (length < 0 || length > this.at) throw new RangeError(`cannot truncate ${this.at} bytes to ${length}`);
    this.at = length;
  }

  /**
   * The bytes written, in a buffer of exactly that size with an ArrayBuffer of its own (so it
   * can be transferred to another thread without dragging spare capacity along). The writer
   * starts over empty.
   */
  take(): Uint8Array {
    const out = Buffer.allocUnsafeSlow(this.at);
    this.buf.copy(out, 0, 0, this.at);
    this.at = 0;
    return out;
  }

  private grow(needed: number): void {
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}

// A value as one field of PostgreSQL's COPY text format: backslash, tab, newline and carriage
// return escaped. (NUL cannot be stored in text at all; parsing quarantines records holding one.)
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyText(value: string): string {
  return COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : value;
}
