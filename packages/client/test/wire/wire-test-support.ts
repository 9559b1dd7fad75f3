import { fourLetterWord } from '@zookit/test-harness';
import { afterEach } from 'vitest';
import type { WatchEvent } from '../../src/index.js';
import type { WireZkClientOptions } from '../../src/wire/wire-options.js';
import { WireZkClient } from '../../src/wire/wire-zk-client.js';

/**
 * A `connect` for one test file: each client it opens (10 s session unless overridden) is closed after the
 * test. Call at module level, where `afterEach` registers for the whole file.
 */
export function wireClients(): (
  connectString: string,
  options?: Partial<WireZkClientOptions>,
) => Promise<WireZkClient> {
  const open: WireZkClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });
  return async (connectString, options = {}) => {
    const client = new WireZkClient({ connectString, sessionTimeoutMs: 10_000, ...options });
    open.push(client);
    await client.connect();
    return client;
  };
}

/** The paths the server holds data-table watches on for one session (`wchc`), where both persistent modes live. */
export async function serverWatches(
  zkStandalone: string,
  sessionId: bigint | undefined,
): Promise<string[]> {
  const [host = '', port = ''] = zkStandalone.split(':');
  const lines = (await fourLetterWord(host, Number(port), 'wchc')).split('\n');
  const start = lines.indexOf(`0x${(sessionId ?? 0n).toString(16)}`);
  if (start < 0) return [];
  const paths: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('\t')) break;
    paths.push(line.trim());
  }
  return paths;
}

/** A watch listener that records `"<type> <path>"` per event. */
export function eventRecorder(): { events: string[]; listener: (e: WatchEvent) => void } {
  const events: string[] = [];
  return { events, listener: (e) => events.push(`${e.type} ${e.path}`) };
}
