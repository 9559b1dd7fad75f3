import type { JuteReader } from '../jute-reader.js';
import type { JuteWriter } from '../jute-writer.js';

/**
 * Writes a `MultiHeader{int type; boolean done; int err}`. A request writes one before each op with
 * `done=false, err=-1`, and a terminator `{-1, true, -1}` after the last.
 *
 * @example
 * ```ts
 * writeMultiHeader(w, OpCode.delete, false, -1); writePathIntRequest(w, '/a', -1);
 * writeMultiHeader(w, -1, true, -1);
 * ```
 */
export function writeMultiHeader(w: JuteWriter, type: number, done: boolean, err: number): void {
  w.writeInt(type);
  w.writeBool(done);
  w.writeInt(err);
}

/** One decoded `MultiHeader`. */
export interface MultiHeader {
  readonly type: number;
  readonly done: boolean;
  readonly err: number;
}

/**
 * Reads a `MultiHeader`.
 *
 * @example
 * ```ts
 * const h = readMultiHeader(reader); if (h.done) return;
 * ```
 */
export function readMultiHeader(r: JuteReader): MultiHeader {
  const type = r.readInt();
  const done = r.readBool();
  const err = r.readInt();
  return { type, done, err };
}

/**
 * Reads the results of a multi (or multiRead) reply: each header is followed by its result record, read
 * by `readResult`; an `ErrorResponse{int err}` follows a header of type -1.
 *
 * @example
 * ```ts
 * const results = readMultiResponse(reader, (type, r) => type === OpCode.setData ? readStat(r) : undefined);
 * ```
 */
export function readMultiResponse<T>(
  r: JuteReader,
  readResult: (type: number, r: JuteReader) => T,
): { readonly type: number; readonly err: number; readonly value: T | undefined }[] {
  const out: { type: number; err: number; value: T | undefined }[] = [];
  for (;;) {
    const h = readMultiHeader(r);
    if (h.done) return out;
    if (h.type === -1) {
      const err = r.readInt();
      out.push({ type: -1, err, value: undefined });
    } else {
      out.push({ type: h.type, err: 0, value: readResult(h.type, r) });
    }
  }
}
