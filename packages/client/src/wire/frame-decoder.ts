import { JuteDecodeError } from './jute-decode-error.js';

/**
 * Splits a byte stream into length-prefixed frames (4-byte big-endian length + payload). Partial frames are
 * kept as a list of chunks and joined once complete, so a 1 MiB reply arriving in 64 KiB reads is copied
 * once, not once per read. A negative or oversized length throws {@link JuteDecodeError} before any
 * allocation.
 *
 * @example
 * ```ts
 * const frames = new FrameDecoder(16 * 1024 * 1024);
 * socket.on('data', (chunk) => frames.push(chunk, (frame) => handle(frame)));
 * ```
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Payload length of the partial frame being collected, or -1 while its length prefix is incomplete. */
  private needed = -1;

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Drops any partial frame (after a reconnect). */
  reset(): void {
    this.parts = [];
    this.partBytes = 0;
    this.needed = -1;
  }

  /**
   * Feeds one chunk; calls `onFrame` for each complete payload (a view that is valid only during the call).
   * Stops at the first exception from `onFrame` or a bad length, and rethrows it.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    let buf = chunk;
    if (this.partBytes > 0) {
      this.parts.push(chunk);
      this.partBytes += chunk.length;
      if (this.needed < 0 && this.partBytes >= 4)
        this.needed = this.lengthAt(Buffer.concat(this.parts, 4), 0);
      if (this.needed < 0 || this.partBytes < 4 + this.needed) return;
      buf = Buffer.concat(this.parts, this.partBytes);
      this.reset();
    }
    let pos = 0;
    const end = buf.length;
    while (end - pos >= 4) {
      const len = this.lengthAt(buf, pos);
      if (end - pos - 4 < len) break;
      const frame = buf.subarray(pos + 4, pos + 4 + len);
      pos += 4 + len;
      onFrame(frame);
    }
    if (pos < end) {
      const rest = buf.subarray(pos);
      this.parts = [rest];
      this.partBytes = rest.length;
      this.needed = rest.length >= 4 ? this.lengthAt(rest, 0) : -1;
    }
  }

  private lengthAt(buf: Buffer, pos: number): number {
    const len = buf.readInt32BE(pos);
    if (len < 0 || len > this.maxFrameBytes) {
      throw new JuteDecodeError(`frame length ${len} outside 0..${this.maxFrameBytes}`, pos);
    }
    return len;
  }
}
