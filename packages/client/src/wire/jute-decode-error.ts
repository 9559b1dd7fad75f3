import { ZkError } from '../errors.js';

/**
 * A reply from the server could not be decoded (truncated, oversized or inconsistent). The wire client turns
 * it into a connection error: the connection is dropped and re-established, nothing throws out of the socket
 * handler.
 *
 * @example
 * ```ts
 * try { reader.readInt(); } catch (e) { if (e instanceof JuteDecodeError) dropConnection(e); }
 * ```
 */
export class JuteDecodeError extends ZkError {
  /** Byte offset in the frame where decoding failed. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super('MARSHALLING_ERROR', `cannot decode reply at byte ${offset}: ${message}`, { zkCode: -5 });
    this.offset = offset;
  }
}
