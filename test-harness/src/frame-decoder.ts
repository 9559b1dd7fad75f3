/**
 * Splits a TCP byte stream into ZooKeeper frames (4-byte big-endian length, then that many bytes).
 *
 * @example
 * ```ts
 * const decoder = new FrameDecoder();
 * socket.on('data', (chunk) => { for (const body of decoder.push(chunk)) handle(body); });
 * ```
 */
export class FrameDecoder {
  #pending: Buffer = Buffer.alloc(0);

  /** Bytes received that do not make a whole frame yet. */
  get buffered(): number {
    return this.#pending.length;
  }

  /** Adds bytes; returns the bodies (length prefix removed) of the frames they complete. */
  push(chunk: Buffer): Buffer[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Buffer[] = [];
    while (this.#pending.length >= 4) {
      const length = this.#pending.readInt32BE(0);
      if (length < 0) throw new RangeError(`negative frame length ${length}`);
      if (this.#pending.length < 4 + length) break;
      frames.push(this.#pending.subarray(4, 4 + length));
      this.#pending = this.#pending.subarray(4 + length);
    }
    return frames;
  }

  /**
   * Like {@link FrameDecoder.push}, but returns each whole frame with its length prefix, for proxies that
   * forward frames as they are.
   */
  pushRaw(chunk: Buffer): Buffer[] {
    return this.push(chunk).map((body) => {
      const frame = Buffer.alloc(4 + body.length);
      frame.writeInt32BE(body.length);
      body.copy(frame, 4);
      return frame;
    });
  }
}
