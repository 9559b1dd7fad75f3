import { FaultProxy, fourLetterWord } from '@zookit/test-harness';
import { afterEach } from 'vitest';
import type { SessionEvent, WatchEvent } from '../../src/index.js';
import type { WireZkClientOptions } from '../../src/wire/wire-options.js';
import { WireZkClient } from '../../src/wire/wire-zk-client.js';

/** Registers `afterEach` for the file; the returned function queues a cleanup (run last-in first-out). */
function cleanupStack(): (cleanup: () => Promise<void>) => void {
  const stack: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of stack.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => stack.push(cleanup);
}

async function openClient(
  defer: (cleanup: () => Promise<void>) => void,
  connectString: string,
  options: Partial<WireZkClientOptions>,
): Promise<WireZkClient> {
  const client = new WireZkClient({ connectString, sessionTimeoutMs: 10_000, ...options });
  defer(() => client.close());
  await client.connect();
  return client;
}

/**
 * A `connect` for one test file: each client it opens (10 s session unless overridden) is closed after the
 * test. Call at module level, where `afterEach` registers for the whole file.
 */
export function wireClients(): (
  connectString: string,
  options?: Partial<WireZkClientOptions>,
) => Promise<WireZkClient> {
  const defer = cleanupStack();
  return (connectString, options = {}) => openClient(defer, connectString, options);
}

/**
 * For fault tests: `proxied` opens a client (3 s session unless overridden) through a fresh `FaultProxy`
 * in front of the standalone server and records its session events; `direct` opens one without a proxy.
 * Everything is closed after each test, clients before their proxies. Call at module level.
 */
export function proxiedWireClients(): {
  proxied: (
    zkStandalone: string,
    namespace: string,
    options?: Partial<WireZkClientOptions>,
  ) => Promise<{ proxy: FaultProxy; client: WireZkClient; events: SessionEvent[] }>;
  direct: (connectString: string) => Promise<WireZkClient>;
} {
  const defer = cleanupStack();
  return {
    proxied: async (zkStandalone, namespace, options = {}) => {
      const proxy = await FaultProxy.start({ target: zkStandalone });
      defer(() => proxy.close());
      const events: SessionEvent[] = [];
      const client = new WireZkClient({
        connectString: proxy.connectString + namespace,
        sessionTimeoutMs: 3000,
        ...options,
      });
      defer(() => client.close());
      client.onSessionEvent((e) => events.push(e));
      await client.connect();
      return { proxy, client, events };
    },
    direct: (connectString) => openClient(defer, connectString, {}),
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
