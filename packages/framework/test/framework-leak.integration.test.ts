import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, inject, it, vi } from 'vitest';

import { createFramework } from '../src/index.js';
import { frameworkTransports, type FrameworkTransport } from './helpers.js';

// A full GC makes the heap bound meaningful; vitest gives no per-file --expose-gc, so enable it at runtime.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// As many lives as the raw-client test: about 2–6 ms each (measured 300 in 1.0–1.8 s), so a transport's run
// stays well under 20 s on a loaded 2-core machine.
const CYCLES = 1_000;
const BALLAST_BYTES = 64 * 1024;

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
 * One full framework life: create, start, wait for the session, subscribe to its connection states and
 * arm a watch that each hold 64 KB (so anything the framework keeps after close shows up in the heap), one
 * read, close.
 */
async function cycle(
  transport: FrameworkTransport,
  connectString: string,
  i: number,
): Promise<void> {
  const zk = createFramework({
    connectString,
    transport: transport.name,
    namespace: 'framework-leak',
    sessionTimeoutMs: 10_000,
  });
  const ballast = Buffer.alloc(BALLAST_BYTES, i & 0xff);
  const states = zk.connectionState$.subscribe(() => void ballast.length);
  await zk.start();
  await zk.waitForConnection({ timeoutMs: 20_000 });
  expect(await zk.exists(`/missing-${i}`, { watch: () => void ballast.length })).toBeNull();
  await zk.close();
  expect(zk.state).toBe('closed');
  // Deliberately left subscribed: close() must complete the stream and so release the subscriber.
  expect(states.closed).toBe(true);
}

describe.each(frameworkTransports)('$name framework resource hygiene', (transport) => {
  it(`createFramework + start + close ${CYCLES} times leaks no fds, handles, timers or heap`, async () => {
    const connectString = inject('zkStandalone');
    // Warm-up: loads the transport and lets lazily created process-wide state settle before the baseline.
    for (let i = 0; i < 20; i++) await cycle(transport, connectString, i);
    const fds = fdCount();
    const active = resources();
    const heap = heapAfterGc();

    for (let i = 0; i < CYCLES; i++) await cycle(transport, connectString, i);

    // libuv closes poll/timer handles on the next loop turn; wait for that, never for a fixed time.
    await vi.waitFor(() => expect(fdCount()).toBeLessThanOrEqual(fds), { timeout: 5_000 });
    await vi.waitFor(() => {
      const now = resources();
      for (const [kind, n] of Object.entries(now))
        expect(n, kind).toBeLessThanOrEqual(active[kind] ?? 0);
    });
    const growth = heapAfterGc() - heap;
    // Each life held 2 × 64 KB: a leak of either would add >= 64 MB.
    expect(growth).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);
});
