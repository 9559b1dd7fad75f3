import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocatePorts, isPortFree, releasePorts } from '../src/ports.js';

const lockDir = join(tmpdir(), 'zookit-ports');
const lockOf = (port: number): string => join(lockDir, String(port));

describe('allocatePorts', () => {
  it('hands out distinct free ports below the ephemeral range and locks them until released', async () => {
    const ports = await allocatePorts(6);
    try {
      expect(new Set(ports).size).toBe(6);
      for (const port of ports) {
        expect(port).toBeGreaterThanOrEqual(15_000);
        expect(port).toBeLessThan(32_768);
        expect(readFileSync(lockOf(port), 'utf8')).toBe(String(process.pid));
        await expect(isPortFree(port)).resolves.toBe(true);
      }
    } finally {
      releasePorts(ports);
    }
    for (const port of ports) expect(existsSync(lockOf(port))).toBe(false);
  });

  it('never hands out a port locked by another live process', async () => {
    const [port] = await allocatePorts(1);
    releasePorts([port ?? 0]);
    mkdirSync(lockDir, { recursive: true });
    // pid 1 is always alive.
    writeFileSync(lockOf(port ?? 0), '1');
    try {
      await expect(allocatePorts(1, new Set(), [port ?? 0, port ?? 0])).rejects.toThrow(
        /could not find 1 free ports/,
      );
    } finally {
      rmSync(lockOf(port ?? 0), { force: true });
    }
  });

  it('reclaims a lock left by a process that is gone', async () => {
    const [port] = await allocatePorts(1);
    releasePorts([port ?? 0]);
    const dead = spawnSync('true').pid;
    writeFileSync(lockOf(port ?? 0), String(dead));
    const [again] = await allocatePorts(1, new Set(), [port ?? 0, port ?? 0]);
    expect(again).toBe(port);
    expect(readFileSync(lockOf(port ?? 0), 'utf8')).toBe(String(process.pid));
    releasePorts([again ?? 0]);
  });

  it('skips a port something already listens on', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const busy = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await expect(allocatePorts(1, new Set(), [busy, busy])).rejects.toThrow(/could not find/);
      expect(existsSync(lockOf(busy))).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
