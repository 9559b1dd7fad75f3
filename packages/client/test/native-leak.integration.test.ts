import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createZkClient } from '@zookit/client';
import { describe, expect, it, vi } from 'vitest';
import { WatcherRegistry } from '../src/native/watcher-registry.js';
import { connectStringOf, zkTargets } from './support/zk-targets.js';

// A full GC makes the heap bound meaningful; vitest gives no per-file --expose-gc, so enable it at runtime.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CYCLES = 1_000;
const BALLAST_BYTES = 16 * 1024;

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
async function cycle(connectString: string, i: number): Promise<void> {
  const client = createZkClient({ transport: 'native', connectString, sessionTimeoutMs: 10_000 });
  const ballast = Buffer.alloc(BALLAST_BYTES, i & 0xff);
  client.onSessionEvent(() => void ballast.length);
  await client.connect();
  expect(
    await client.exists(`/leak-missing-${i}`, { watch: () => void ballast.length }),
  ).toBeNull();
  await client.close();
  expect(client.state).toBe('closed');
}

describe('native client resource hygiene', () => {
  it(`connect + close of ${CYCLES} clients leaks no fds, handles, timers, watches or heap`, async () => {
    const target = zkTargets.find((t) => t.name === 'standalone');
    if (target === undefined) throw new Error('no standalone target');
    const connectString = connectStringOf(target);
    // Warm-up: loads the addon and lets lazily created process-wide state settle before the baseline.
    for (let i = 0; i < 20; i++) await cycle(connectString, i);
    const fds = fdCount();
    const active = resources();
    const watches = WatcherRegistry.globalSize;
    const heap = heapAfterGc();

    for (let i = 0; i < CYCLES; i++) await cycle(connectString, i);

    // libuv closes poll/timer handles on the next loop turn; wait for that, never for a fixed time.
    await vi.waitFor(() => expect(fdCount()).toBeLessThanOrEqual(fds), { timeout: 5_000 });
    await vi.waitFor(() => {
      const now = resources();
      for (const [kind, n] of Object.entries(now))
        expect(n, kind).toBeLessThanOrEqual(active[kind] ?? 0);
    });
    expect(WatcherRegistry.globalSize).toBe(watches);
    const growth = heapAfterGc() - heap;
    // Each client held 2 × 16 KB: a leak of either would add >= 16 MB. The binding's own never-freed
    // watcher callback (a tiny id-only trampoline) costs well under 1 KB per client.
    expect(growth).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);
});
