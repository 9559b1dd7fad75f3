import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { waitFor } from './timing.js';

/**
 * Debian's ZooKeeper jar; its manifest's `Class-Path` pulls in the rest (jute, slf4j-api, netty, jetty...).
 *
 * @example
 * ```ts
 * existsSync(ZOOKEEPER_JAR); // true once scripts/setup.sh ran
 * ```
 */
export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';

// Not in zookeeper.jar's manifest: a logger that writes to stderr (captured in server.log) and the Netty
// pieces the TLS client port needs.
const EXTRA_JARS = [
  'slf4j-simple.jar',
  'netty-codec.jar',
  'netty-resolver.jar',
  'netty-transport-native-unix-common.jar',
].map((jar) => `/usr/share/java/${jar}`);

const QUORUM_MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

// Every JVM this process started and has not seen exit: SIGKILLed when Node exits normally. An abnormal
// death of Node (even SIGKILL) is covered by the parent-death signal (setpriv) or the watchdog below.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/**
 * Throws a clear error when Debian's ZooKeeper jars are missing.
 *
 * @example
 * ```ts
 * assertZooKeeperInstalled(); // throws "run `bash scripts/setup.sh`" when /usr/share/java/zookeeper.jar is missing
 * ```
 */
export function assertZooKeeperInstalled(jar = ZOOKEEPER_JAR): void {
  if (!existsSync(jar)) {
    throw new Error(
      `ZooKeeper is not installed: ${jar} is missing. Run \`bash scripts/setup.sh\` ` +
        '(it installs Debian\'s "zookeeper" package), or set ZK_HARNESS=containers with a Docker engine.',
    );
  }
}

/**
 * How to launch one server.
 *
 * @example
 * ```ts
 * const spec: ZkServerProcessSpec = { name: 'zk1', configPath: 'zoo.cfg', logPath: 'server.log', jvmArgs: [] };
 * ```
 */
export interface ZkServerProcessSpec {
  readonly name: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly jvmArgs: readonly string[];
}

/**
 * One ZooKeeper JVM. It dies with the Node process that started it: on Linux through `setpriv --pdeathsig
 * KILL` (the kernel kills it the moment its parent thread dies), elsewhere through a small shell watchdog.
 *
 * @example
 * ```ts
 * const server = new ZkServerProcess({ name: 'zk1', configPath, logPath, jvmArgs: ['-Xmx128m'] });
 * server.start();
 * await server.kill();
 * ```
 */
export class ZkServerProcess {
  readonly spec: ZkServerProcessSpec;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #paused = false;
  #exitRequested = false;
  #exitCode: number | string | undefined;

  constructor(spec: ZkServerProcessSpec) {
    this.spec = spec;
  }

  /** The JVM's pid while it runs. */
  get pid(): number | undefined {
    return this.isRunning ? this.#child?.pid : undefined;
  }

  /** True from `start()` until the JVM has exited (a paused JVM is running). */
  get isRunning(): boolean {
    return this.#child !== undefined && this.#exitCode === undefined;
  }

  get isPaused(): boolean {
    return this.isRunning && this.#paused;
  }

  /** How the last run ended: an exit code or a signal name. */
  get exitCode(): number | string | undefined {
    return this.#exitCode;
  }

  /** Spawns the JVM. Throws if it is already running. */
  start(): void {
    if (this.isRunning) throw new Error(`${this.spec.name} is already running`);
    installExitHook();
    const java =
      process.env['JAVA_HOME'] === undefined
        ? 'java'
        : join(process.env['JAVA_HOME'], 'bin', 'java');
    const classpath = [ZOOKEEPER_JAR, ...EXTRA_JARS.filter((jar) => existsSync(jar))].join(
      delimiter,
    );
    const javaArgs = [...this.spec.jvmArgs, '-cp', classpath, QUORUM_MAIN, this.spec.configPath];
    const [command, args] =
      SETPRIV === undefined
        ? [java, javaArgs]
        : [SETPRIV, ['--pdeathsig', 'KILL', '--', java, ...javaArgs]];
    const log = openSync(this.spec.logPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, args, { stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    this.#child = child;
    this.#paused = false;
    this.#exitRequested = false;
    this.#exitCode = undefined;
    live.add(child);
    this.#exited = new Promise<void>((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        live.delete(child);
        this.#exitCode = code ?? signal ?? 'unknown';
        if (!this.#exitRequested) {
          // Nobody asked for this: say so in the server's own log, where a failing test will look.
          const note = `[zookit] ${this.spec.name} (pid ${String(child.pid)}) exited on its own: ${String(this.#exitCode)}\n`;
          try {
            appendFileSync(this.spec.logPath, note);
          } catch {
            // The ensemble's directory is already gone.
          }
        }
        resolve();
      };
      child.once('exit', done);
      child.once('error', (error) => {
        live.delete(child);
        this.#exitCode = error.message;
        resolve();
      });
    });
    // The JVM must not keep Node alive: exit is handled by the hook and the parent-death signal.
    child.unref();
    if (SETPRIV === undefined && child.pid !== undefined) this.#startWatchdog(child.pid);
  }

  #startWatchdog(jvmPid: number): void {
    const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${jvmPid} 2>/dev/null; do sleep 1; done; kill -9 ${jvmPid} 2>/dev/null`;
    const watchdog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
    watchdog.unref();
  }

  /** Resolves when the current (or last) run has exited. */
  exited(): Promise<void> {
    // While someone waits for the exit, the child must keep Node's event loop alive.
    this.#child?.ref();
    return this.#exited;
  }

  /** Sends a signal to the JVM if it runs. */
  signal(signal: NodeJS.Signals): void {
    if (!this.isRunning) return;
    this.#child?.kill(signal);
    if (signal === 'SIGSTOP') this.#paused = true;
    if (signal === 'SIGCONT') this.#paused = false;
  }

  /**
   * SIGSTOP, resolving once every thread of the JVM is stopped (read from `/proc` where there is one), so
   * nothing it does afterwards can race the caller.
   */
  async pause(): Promise<void> {
    if (!this.isRunning) throw new Error(`${this.spec.name} is not running`);
    this.signal('SIGSTOP');
    await this.#waitThreads((state) => state === 'T' || state === 't');
  }

  /** SIGCONT, resolving once no thread of the JVM is stopped any more. */
  async resume(): Promise<void> {
    if (!this.isRunning) return;
    this.signal('SIGCONT');
    await this.#waitThreads((state) => state !== 'T' && state !== 't');
  }

  async #waitThreads(ok: (state: string) => boolean): Promise<void> {
    const pid = this.pid;
    if (pid === undefined || !existsSync(`/proc/${pid}/task`)) return;
    const states = (): string[] => {
      try {
        return readdirSync(`/proc/${pid}/task`).map(
          // The state follows the parenthesised command name, which may itself contain spaces.
          (tid) =>
            /\) (\S)/.exec(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))?.[1] ?? '?',
        );
      } catch {
        return [];
      }
    };
    await waitFor(() => !this.isRunning || states().every(ok), {
      timeoutMs: 10_000,
      intervalMs: 5,
      message: `${this.spec.name}'s threads to change state`,
    });
  }

  /** SIGTERM (after SIGCONT if paused), then SIGKILL if the JVM is still there after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.isRunning) return;
    this.#exitRequested = true;
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    });
    const stuck = await Promise.race([this.exited().then(() => false), timedOut]);
    clearTimeout(timer);
    if (stuck) await this.kill();
  }

  /** SIGKILL; resolves once the JVM is gone. */
  async kill(): Promise<void> {
    this.#exitRequested = true;
    this.signal('SIGKILL');
    await this.exited();
  }

  /** The server's log so far (empty if none). */
  logs(): string {
    return existsSync(this.spec.logPath) ? readFileSync(this.spec.logPath, 'utf8') : '';
  }
}
