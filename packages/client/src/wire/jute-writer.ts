/**
 * Jute binary encoder over a growable `Buffer`: big-endian ints and longs, length-prefixed buffers and UTF-8
 * strings (-1 = null), count-prefixed vectors. A writer can reserve the 4-byte frame length up front so a
 * whole request is built in one allocation and sent without copying.
 *
 * @example
 * ```ts
 * const w = new JuteWriter(true);
 * w.writeInt(7); w.writeInt(4); w.writeString('/a'); w.writeBool(false);
 * socket.write(w.finishFrame());
 * ```
 */
export class JuteWriter {
  private buf: Buffer;
  private pos: number;
  private readonly framed: boolean;

  /** @param framed - reserve 4 bytes for the frame length, filled in by {@link finishFrame}. */
  constructor(framed = false, initialSize = 128) {
    this.buf = Buffer.allocUnsafe(initialSize);
    this.framed = framed;
    this.pos = framed ? 4 : 0;
  }

  /** Bytes written so far (without the frame-length prefix). */
  get length(): number {
    return this.framed ? this.pos - 4 : this.pos;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  writeInt(value: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(value, this.pos);
    this.pos += 4;
  }

  writeLong(value: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64BE(value, this.pos);
    this.pos += 8;
  }

  writeBool(value: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  /** A jute `buffer`: int length + bytes; `null` is written as length -1. */
  writeBuffer(value: Uint8Array | null): void {
    if (value === null) {
      this.writeInt(-1);
      return;
    }
    this.ensure(4 + value.length);
    this.buf.writeInt32BE(value.length, this.pos);
    this.buf.set(value, this.pos + 4);
    this.pos += 4 + value.length;
  }

  /** A jute `ustring`: int byte length + UTF-8; `null` is written as length -1. */
  writeString(value: string | null): void {
    if (value === null) {
      this.writeInt(-1);
      return;
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.ensure(4 + bytes);
    this.buf.writeInt32BE(bytes, this.pos);
    this.buf.write(value, this.pos + 4, bytes, 'utf8');
    this.pos += 4 + bytes;
  }

  /** A jute `vector<ustring>`; `null` is written as count -1. */
  writeStringVector(values: readonly string[] | null): void {
    if (values === null) {
      this.writeInt(-1);
      return;
    }
    this.writeInt(values.length);
    for (const v of values) this.writeString(v);
  }

  /** The encoded bytes (a view, not a copy), without frame length. */
  toBuffer(): Buffer {
    return this.buf.subarray(this.framed ? 4 : 0, this.pos);
  }

  /** Fills in the reserved frame length and returns the whole frame (a view, not a copy). */
  finishFrame(): Buffer {
    if (!this.framed) throw new Error('JuteWriter: not a framed writer');
    this.buf.writeInt32BE(this.pos - 4, 0);
    return this.buf.subarray(0, this.pos);
  }
}
