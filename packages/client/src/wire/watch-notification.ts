import { watchEventTypeFromInt } from '../watch-event.js';
import type { Chroot } from './chroot.js';
import type { JuteReader } from './jute-reader.js';
import { readWatcherEvent } from './records/session-records.js';
import type { WatchManager } from './watch-manager.js';

/**
 * Decodes a `WatcherEvent` notification and calls every local listener it reaches once, with the path
 * the client knows (chroot removed). A listener that throws does not stop the others; its error goes to
 * `onListenerError`. Event types the client does not know are dropped.
 *
 * @example
 * ```ts
 * if (xid === Xid.notification) deliverNotification(reader, watches, chroot, console.error);
 * ```
 */
export function deliverNotification(
  r: JuteReader,
  watches: WatchManager,
  chroot: Chroot,
  onListenerError: (error: unknown) => void,
): void {
  const ev = readWatcherEvent(r);
  const type = watchEventTypeFromInt[ev.type];
  if (type === undefined) return;
  const listeners = watches.trigger(ev.type, ev.path);
  if (listeners.size === 0) return;
  const event = { type, path: chroot.toClient(ev.path) };
  for (const l of listeners) {
    try {
      l(event);
    } catch (e) {
      onListenerError(e);
    }
  }
}
