/**
 * Appends jute (ZooKeeper's record format) values to a growing buffer: big-endian ints and longs,
 * int-length-prefixed buffers and strings (-1 for null).
 *
 * @example
 * ```ts
 * const frame = new JuteWriter().int(1).int(11).frame(); // a ping request, length-prefixed
 * ```
 */
export class JuteWriter {
  #chunks: Buffer[] = [];

  int(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    this.#chunks.push(b);
    return this;
  }

  long(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt.asIntN(64, value));
    this.#chunks.push(b);
    return this;
  }

  bool(value: boolean): this {
    this.#chunks.push(Buffer.from([value ? 1 : 0]));
    return this;
  }

  buffer(value: Buffer | undefined): this {
    if (value === undefined) return this.int(-1);
    this.int(value.length);
    this.#chunks.push(value);
    return this;
  }

  string(value: string | undefined): this {
    return this.buffer(value === undefined ? undefined : Buffer.from(value, 'utf8'));
  }

  /** The bytes written so far. */
  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** The bytes written so far, preceded by their 4-byte length: one frame on the wire. */
  frame(): Buffer {
    const body = this.bytes();
    const length = Buffer.alloc(4);
    length.writeInt32BE(body.length);
    return Buffer.concat([length, body]);
  }
}
