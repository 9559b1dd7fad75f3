import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createZkClient, type ZkClient } from '@zookit/client';
import { describe, expect, it, vi } from 'vitest';
import { WatcherRegistry } from '../src/native/watcher-registry.js';
import { WireZkClient } from '../src/wire/wire-zk-client.js';
import { connectStringOf, zkTargets } from './support/zk-targets.js';

// A full GC makes the heap bound meaningful; vitest gives no per-file --expose-gc, so enable it at runtime.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CYCLES = 1_000;
const BALLAST_BYTES = 16 * 1024;

/** Where each transport keeps its watches: what differs is data, the test is shared. */
const leakTransports = [
  {
    name: 'native',
    // The binding's callbacks reach watches through a process-wide registry (ids only), which must shrink
    // back once each client closed.
    processWatches: () => WatcherRegistry.globalSize,
    watchesAfterClose: (): number => 0,
  },
  {
    name: 'wire',
    // No process-wide state: each client owns its watch table, which close() must empty.
    processWatches: () => 0,
    watchesAfterClose: (client: ZkClient): number =>
      client instanceof WireZkClient ? client.watchCount : Number.NaN,
  },
] as const;

type LeakTransport = (typeof leakTransports)[number];

function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * One full client life: connect, arm a watch and a session listener that each hold 16 KB (so anything the
 * client keeps after close shows up in the heap), one write, close.
 */
async function cycle(transport: LeakTransport, connectString: string, i: number): Promise<void> {
  const client = createZkClient({
    transport: transport.name,
    connectString,
    sessionTimeoutMs: 10_000,
  });
  const ballast = Buffer.alloc(BALLAST_BYTES, i & 0xff);
  client.onSessionEvent(() => void ballast.length);
  await client.connect();
  expect(
    await client.exists(`/leak-missing-${i}`, { watch: () => void ballast.length }),
  ).toBeNull();
  await client.close();
  expect(client.state).toBe('closed');
  expect(transport.watchesAfterClose(client)).toBe(0);
}

describe.each(leakTransports)('$name client resource hygiene', (transport) => {
  it(`connect + close of ${CYCLES} clients leaks no fds, handles, timers, watches or heap`, async () => {
    const target = zkTargets.find((t) => t.name === 'standalone');
    if (target === undefined) throw new Error('no standalone target');
    const connectString = connectStringOf(target);
    // Warm-up: loads the addon and lets lazily created process-wide state settle before the baseline.
    for (let i = 0; i < 20; i++) await cycle(transport, connectString, i);
    const fds = fdCount();
    const active = resources();
    const watches = transport.processWatches();
    const heap = heapAfterGc();

    for (let i = 0; i < CYCLES; i++) await cycle(transport, connectString, i);

    // libuv closes poll/timer handles on the next loop turn; wait for that, never for a fixed time.
    await vi.waitFor(() => expect(fdCount()).toBeLessThanOrEqual(fds), { timeout: 5_000 });
    await vi.waitFor(() => {
      const now = resources();
      for (const [kind, n] of Object.entries(now))
        expect(n, kind).toBeLessThanOrEqual(active[kind] ?? 0);
    });
    expect(transport.processWatches()).toBe(watches);
    const growth = heapAfterGc() - heap;
    // Each client held 2 × 16 KB: a leak of either would add >= 16 MB. The native binding's own never-freed
    // watcher callback (a tiny id-only trampoline) costs well under 1 KB per client.
    expect(growth).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);
});
