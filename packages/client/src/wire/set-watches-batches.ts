import { JuteWriter } from './jute-writer.js';
import { OpCode } from './op-codes.js';
import { writeSetWatches, type WatchLists } from './records/session-records.js';

/** Java's `SET_WATCHES_MAX_LENGTH`: paths per re-registration packet, well under `jute.maxbuffer`. */
export const SET_WATCHES_BATCH_BYTES = 128 * 1024;

const KINDS = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'] as const;

/**
 * Splits the armed watches into `SetWatches` (opcode 101) or, when a batch holds persistent watches,
 * `SetWatches2` (105) request frames of at most about `maxBytes` of paths each. One unsplit packet over
 * the server's 1 MiB limit makes it drop the connection on every reconnect, forever (ZOOKEEPER-706). Each
 * frame has a zero xid at offset 4 for the session to fill in.
 *
 * @example
 * ```ts
 * for (const frame of buildSetWatchesBatches(watches.lists(), lastZxid)) send(frame);
 * ```
 */
export function buildSetWatchesBatches(
  lists: WatchLists,
  relativeZxid: bigint,
  maxBytes: number = SET_WATCHES_BATCH_BYTES,
): Buffer[] {
  const frames: Buffer[] = [];
  let batch = emptyLists();
  let bytes = 0;
  let count = 0;
  const flush = () => {
    if (count === 0) return;
    const v2 = batch.persistent.length > 0 || batch.persistentRecursive.length > 0;
    const w = new JuteWriter(true, bytes + 64 + count * 4);
    w.writeInt(0);
    w.writeInt(v2 ? OpCode.setWatches2 : OpCode.setWatches);
    writeSetWatches(w, relativeZxid, batch, v2);
    frames.push(w.finishFrame());
    batch = emptyLists();
    bytes = 0;
    count = 0;
  };
  for (const kind of KINDS) {
    for (const path of lists[kind]) {
      batch[kind].push(path);
      bytes += Buffer.byteLength(path, 'utf8') + 4;
      count++;
      if (bytes >= maxBytes) flush();
    }
  }
  flush();
  return frames;
}

function emptyLists(): Record<(typeof KINDS)[number], string[]> {
  return { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] };
}
