import { JuteDecodeError } from './jute-decode-error.js';

/**
 * Bounds-checked jute decoder over one frame. Every read that would run past the end, and every length that
 * is negative (other than the -1 null marker) or larger than what is left, throws {@link JuteDecodeError}
 * instead of a `RangeError`, so callers can turn it into a connection error.
 *
 * @example
 * ```ts
 * const r = new JuteReader(frame);
 * const xid = r.readInt(); const zxid = r.readLong(); const err = r.readInt();
 * ```
 */
export class JuteReader {
  private readonly buf: Buffer;
  private pos: number;
  private readonly end: number;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Current offset in the underlying buffer. */
  get offset(): number {
    return this.pos;
  }

  private need(n: number): void {
    if (this.end - this.pos < n) {
      throw new JuteDecodeError(`needed ${n} bytes, ${this.end - this.pos} left`, this.pos);
    }
  }

  readInt(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  readLong(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A long that is known to fit a double exactly (times in ms). */
  readLongAsNumber(): number {
    this.need(8);
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }

  readBool(): boolean {
    this.need(1);
    return this.buf[this.pos++] !== 0;
  }

  private readLength(what: string): number {
    const at = this.pos;
    const len = this.readInt();
    if (len < -1) throw new JuteDecodeError(`negative ${what} length ${len}`, at);
    if (len > this.end - this.pos) {
      throw new JuteDecodeError(
        `${what} length ${len} exceeds the ${this.end - this.pos} bytes left`,
        at,
      );
    }
    return len;
  }

  /** A jute `buffer`, copied out of the frame; `null` for length -1. */
  readBuffer(): Buffer | null {
    const len = this.readLength('buffer');
    if (len === -1) return null;
    // Copy: the frame may be a slice of a larger socket chunk that must not be retained.
    const out = Buffer.allocUnsafe(len);
    this.buf.copy(out, 0, this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** A jute `ustring`; `null` for length -1. */
  readString(): string | null {
    const len = this.readLength('string');
    if (len === -1) return null;
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** A `ustring` that must not be null. */
  readNonNullString(what: string): string {
    const at = this.pos;
    const s = this.readString();
    if (s === null) throw new JuteDecodeError(`${what} is null`, at);
    return s;
  }

  /** A vector's element count, checked against the bytes left (each element takes at least `minSize`). */
  readCount(what: string, minSize: number): number {
    const at = this.pos;
    const n = this.readInt();
    if (n < -1) throw new JuteDecodeError(`negative ${what} count ${n}`, at);
    if (n > 0 && n * minSize > this.end - this.pos) {
      throw new JuteDecodeError(`${what} count ${n} exceeds the bytes left`, at);
    }
    return n;
  }

  /** A `vector<ustring>`; an empty array for a null vector. */
  readStringVector(what: string): string[] {
    const n = this.readCount(what, 4);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.readNonNullString(what));
    return out;
  }
}
