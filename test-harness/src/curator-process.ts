import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Debian's Curator 5.4.0 and ZooKeeper 3.8.0 jars, as installed by `scripts/setup.sh`: the classpath of any
 * Java program that runs Curator next to zookit (interop tests, benchmarks).
 *
 * @example
 * ```ts
 * execFileSync('javac', ['-cp', CURATOR_CLASSPATH.join(':'), 'Bench.java']);
 * ```
 */
export const CURATOR_CLASSPATH: readonly string[] = [
  'curator-framework.jar',
  'curator-client.jar',
  'curator-recipes.jar',
  'zookeeper.jar',
  'zookeeper-jute.jar',
  'guava.jar',
  'slf4j-api.jar',
  'slf4j-nop.jar',
].map((jar) => join('/usr/share/java', jar));

const driverSource = fileURLToPath(new URL('../java/CuratorDriver.java', import.meta.url));

/**
 * One JSON line printed by the Java driver.
 *
 * @example
 * ```ts
 * const acquired: CuratorEvent = await curator.waitFor((e) => e.ev === 'acquired');
 * expect(acquired.t).toBeGreaterThan(0);
 * ```
 */
export interface CuratorEvent {
  /** Event kind: `ready`, `state`, `leader`, `acquired`, `released`, `count`, `started`, `closed`, `error`… */
  readonly ev: string;
  /** Name of the recipe instance the event is about (empty for connection events). */
  readonly name: string;
  /** `System.nanoTime()` of the JVM when it printed the event. */
  readonly t: number;
  readonly [field: string]: unknown;
}

/**
 * Options of {@link CuratorProcess.start}.
 *
 * @example
 * ```ts
 * const options: CuratorProcessOptions = { connectString, sessionTimeoutMs: 6_000 };
 * await using curator = await CuratorProcess.start(options);
 * ```
 */
export interface CuratorProcessOptions {
  /** Where Curator connects. */
  readonly connectString: string;
  /** Curator's session timeout. Default 10 000. */
  readonly sessionTimeoutMs?: number;
  /** How long to wait for the JVM to connect. Default 60 000. */
  readonly startTimeoutMs?: number;
}

/**
 * Compiles the Java driver once per source version into the OS temp dir (atomic rename, so parallel test
 * workers never see half a class file) and returns the directory holding the class.
 */
async function compiledDriverDir(): Promise<string> {
  for (const jar of CURATOR_CLASSPATH) {
    if (!existsSync(jar)) {
      throw new Error(
        `${jar} is missing: run \`bash scripts/setup.sh\` (installs Debian's Curator jars)`,
      );
    }
  }
  const source = await readFile(driverSource);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `zookit-curator-driver-${hash}`);
  if (existsSync(join(dir, 'CuratorDriver.class'))) return dir;
  const staging = await mkdtemp(join(tmpdir(), 'zookit-curator-build-'));
  try {
    await execFileAsync('javac', [
      '-nowarn',
      '-d',
      staging,
      '-cp',
      CURATOR_CLASSPATH.join(':'),
      driverSource,
    ]);
    await rename(staging, dir).catch((error: unknown) => {
      // Another worker won the race; its copy is identical.
      if (!existsSync(join(dir, 'CuratorDriver.class'))) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return dir;
}

/**
 * A real Apache Curator client in a child JVM, driven by line commands, for interop tests: a Curator
 * `LeaderLatch`, `LeaderSelector`, `InterProcessMutex`, read/write lock, `InterProcessSemaphoreMutex` or
 * `SharedCount` on the same ensemble and path as zookit's.
 *
 * The JVM exits when its stdin closes, so it cannot outlive the test process.
 *
 * @example
 * ```ts
 * await using curator = await CuratorProcess.start({ connectString });
 * curator.send('latch', 'j1', '/election', 'java-1');
 * await curator.waitFor((e) => e.ev === 'leader' && e.name === 'j1' && e.isLeader === true);
 * ```
 */
export class CuratorProcess implements AsyncDisposable {
  /** Every event received so far, in order. */
  readonly events: CuratorEvent[] = [];
  /** `performance.now()` at which each of {@link CuratorProcess.events} arrived (same index). */
  readonly arrivedAt: number[] = [];
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiters = new Set<() => void>();
  #stderr = '';
  #exited = false;

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      this.events.push(JSON.parse(line) as CuratorEvent);
      this.arrivedAt.push(performance.now());
      for (const wake of [...this.#waiters]) wake();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-20_000);
    });
    child.on('exit', () => {
      this.#exited = true;
      for (const wake of [...this.#waiters]) wake();
    });
  }

  /** Compiles the driver if needed, starts the JVM and resolves once Curator is connected. */
  static async start(options: CuratorProcessOptions): Promise<CuratorProcess> {
    const dir = await compiledDriverDir();
    const child = spawn(
      'java',
      [
        '-Xmx128m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-cp',
        [dir, ...CURATOR_CLASSPATH].join(':'),
        'CuratorDriver',
        options.connectString,
        String(options.sessionTimeoutMs ?? 10_000),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const driver = new CuratorProcess(child);
    try {
      await driver.waitFor((e) => e.ev === 'ready', options.startTimeoutMs ?? 60_000);
    } catch (error) {
      await driver.close();
      throw error;
    }
    return driver;
  }

  /** Curator's session id (hex), from the `ready` event. */
  get sessionId(): string {
    const ready = this.events.find((e) => e.ev === 'ready');
    const id = ready?.['sessionId'];
    return typeof id === 'string' ? id : '';
  }

  /**
   * When the JVM stamped `event` (or a raw `System.nanoTime()` value such as a `closed` event's
   * `closeCalledT`), on this thread's `performance.now()` scale. The JVM's `System.nanoTime()`
   * and Node's `process.hrtime` both read CLOCK_MONOTONIC on Linux, so Java-side and Node-side stamps order
   * on one timeline, without the stdout pipe's delay (check with {@link CuratorProcess.arrivedAt}: a
   * mapped stamp is never later than its arrival).
   *
   * @example
   * ```ts
   * const led = await curator.waitFor((e) => e.ev === 'leader' && e.isLeader === true);
   * recorder.mark('java-1', true, curator.localTime(led));
   * ```
   */
  localTime(event: CuratorEvent | number): number {
    const stampNs = typeof event === 'number' ? event : event.t;
    const nowNs = process.hrtime.bigint();
    const nowMs = performance.now();
    return nowMs - Number(nowNs - BigInt(Math.trunc(stampNs))) / 1e6;
  }

  /** Sends one command line, e.g. `send('acquire', 'm1', '5000')`. */
  send(...words: string[]): void {
    if (this.#exited) throw new Error('the Curator driver has exited');
    this.#child.stdin.write(words.join(' ') + '\n');
  }

  /**
   * Resolves with the first event (already received or future) matching `predicate`, or rejects after
   * `timeoutMs` with the driver's recent stderr attached.
   */
  async waitFor(
    predicate: (event: CuratorEvent) => boolean,
    timeoutMs = 30_000,
    from = 0,
  ): Promise<CuratorEvent> {
    const found = (): CuratorEvent | undefined => this.events.slice(from).find(predicate);
    const hit = found();
    if (hit !== undefined) return hit;
    return new Promise<CuratorEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `Curator event not seen within ${timeoutMs} ms; stderr: ${this.#stderr.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      const check = (): void => {
        const event = found();
        if (event === undefined && !this.#exited) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (event !== undefined) resolve(event);
        else reject(new Error(`the Curator driver exited; stderr: ${this.#stderr.slice(-2000)}`));
      };
      this.#waiters.add(check);
    });
  }

  /** Ends the JVM: closes stdin (the driver closes Curator and exits), then kills it if it lingers. */
  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Same as {@link CuratorProcess.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
