import { createServer } from 'node:net';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Range used when the kernel's ephemeral range cannot be read (Linux default is 32768-60999). */
const FALLBACK_EPHEMERAL: readonly [number, number] = [32768, 60999];
const LOW_PORT = 15000;

// Ports handed out by this process and not released: two ensembles starting in parallel must not pick
// the same free port before either has bound it.
const reserved = new Set<number>();

// Other processes using this harness at the same time must not take them either, even while nothing
// listens on them (a follower's quorum port is bound only if it becomes leader; a stopped server's ports
// are free until restart). A lock file per port, holding the owner's pid, says "taken"; a lock whose
// owner is gone is stale and reclaimed.
const LOCK_DIR = join(tmpdir(), 'zookit-ports');
let exitHookInstalled = false;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function lockPort(port: number): boolean {
  const path = join(LOCK_DIR, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return true; // No lock dir: best effort.
      const owner = Number(readFileSafe(path));
      if (owner === process.pid || !Number.isInteger(owner) || owner <= 0 || isAlive(owner))
        return false;
      try {
        unlinkSync(path);
      } catch {
        // Someone else reclaimed it first.
      }
    }
  }
  return false;
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function unlockPort(port: number): void {
  try {
    unlinkSync(join(LOCK_DIR, String(port)));
  } catch {
    // Already gone.
  }
}

function prepareLocks(): void {
  try {
    mkdirSync(LOCK_DIR, { recursive: true });
  } catch {
    // Locks are best effort.
  }
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const port of reserved) unlockPort(port);
  });
}

// Ports are drawn below the kernel's ephemeral range on purpose: outgoing connections (clients, other
// tests) take ephemeral ports, and one of them could otherwise grab a stopped server's port before
// `restart(i)` binds it again.
function candidateRange(): readonly [number, number] {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low !== undefined && Number.isInteger(low) && low - 1 > LOW_PORT + 1000)
      return [LOW_PORT, low - 1];
  } catch {
    // Not Linux: fall through.
  }
  return [LOW_PORT, FALLBACK_EPHEMERAL[0] - 1];
}

/**
 * Resolves true when `port` can be bound on 127.0.0.1 right now.
 *
 * @example
 * ```ts
 * if (await isPortFree(2181)) console.log('2181 is free');
 * ```
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Picks `count` distinct ports on 127.0.0.1 that are free now, outside the kernel's ephemeral range, and
 * reserves them (in this process and, through lock files in `$TMPDIR/zookit-ports`, for every other
 * process using this harness) until {@link releasePorts} or exit.
 *
 * @example
 * ```ts
 * const [client, quorum, election] = await allocatePorts(3);
 * ```
 */
export async function allocatePorts(
  count: number,
  taken: ReadonlySet<number> = new Set(),
  range: readonly [number, number] = candidateRange(),
): Promise<number[]> {
  const [low, high] = range;
  const ports: number[] = [];
  prepareLocks();
  const seen = new Set([...taken, ...reserved]);
  for (let attempt = 0; ports.length < count; attempt++) {
    if (attempt > count * 200) {
      releasePorts(ports);
      throw new Error(`could not find ${count} free ports in ${low}-${high}`);
    }
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (seen.has(port)) continue;
    seen.add(port);
    if (!lockPort(port)) continue;
    if (await isPortFree(port)) {
      ports.push(port);
      reserved.add(port);
    } else {
      unlockPort(port);
    }
  }
  return ports;
}

/**
 * Returns ports from {@link allocatePorts} to the pool once nothing listens on them any more.
 *
 * @example
 * ```ts
 * releasePorts(ports);
 * ```
 */
export function releasePorts(ports: Iterable<number>): void {
  for (const port of ports) {
    if (reserved.delete(port)) unlockPort(port);
  }
}
