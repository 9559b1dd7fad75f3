import { errorFromCode } from '../errors.js';
import type { JuteReader } from './jute-reader.js';
import type { JuteWriter } from './jute-writer.js';
import type { WireSession } from './wire-session.js';

/**
 * Sends one request and decodes its reply: `decode` for result 0, `onError` (if given) for other codes,
 * else the typed error of the code, naming `path`.
 *
 * @example
 * ```ts
 * const stat = await request(session, OpCode.setData, (w) => writeSetDataRequest(w, p, data, -1), '/a', readStat);
 * ```
 */
export function request<T>(
  session: WireSession,
  opCode: number,
  body: ((w: JuteWriter) => void) | undefined,
  path: string | undefined,
  decode: (r: JuteReader) => T,
  onError?: (err: number) => T,
): Promise<T> {
  return session.submit(
    opCode,
    body,
    (err, r) => {
      if (err === 0) return decode(r);
      if (onError !== undefined) return onError(err);
      throw errorFromCode(err, { path });
    },
    path,
  );
}
