/**
 * Reads jute values from a buffer, front to back. Reading past the end throws a `RangeError`.
 *
 * @example
 * ```ts
 * const reader = new JuteReader(body);
 * const xid = reader.int();
 * ```
 */
export class JuteReader {
  readonly #buffer: Buffer;
  #offset = 0;

  constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.#buffer.length - this.#offset;
  }

  int(): number {
    const value = this.#buffer.readInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  long(): bigint {
    const value = this.#buffer.readBigInt64BE(this.#offset);
    this.#offset += 8;
    return value;
  }

  bool(): boolean {
    const value = this.#buffer.readUInt8(this.#offset);
    this.#offset += 1;
    return value !== 0;
  }

  buffer(): Buffer | undefined {
    const length = this.int();
    if (length < 0) return undefined;
    if (length > this.remaining)
      throw new RangeError(`buffer of ${length} bytes overruns the record`);
    const value = this.#buffer.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }

  string(): string | undefined {
    return this.buffer()?.toString('utf8');
  }
}
