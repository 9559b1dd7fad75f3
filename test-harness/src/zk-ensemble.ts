import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from '@zookit/client';
import { selectBackend, type BackendKind } from './backend-selection.js';
import type { EnsembleBackend } from './ensemble-backend.js';
import {
  resolveEnsembleOptions,
  type ResolvedEnsembleOptions,
  type ZkEnsembleOptions,
} from './ensemble-options.js';
import { serverMode, type ServerMode } from './four-letter-word.js';
import { scaledMs, waitFor } from './timing.js';

export type { ZkEnsembleOptions, ZkTlsOptions } from './ensemble-options.js';

/**
 * A real ZooKeeper ensemble for tests and benchmarks: 1, 3 or 5 voting servers (+ observers), started as
 * local JVMs from Debian's jars, or as containers when a Docker engine answers (`ZK_HARNESS` forces one).
 * Servers are indexed from 0 (server `i` has `myid` `i + 1`); ports stay fixed for the ensemble's life, so
 * {@link ZkEnsemble.connectString} stays valid across `stop`/`restart`.
 *
 * @example
 * ```ts
 * await using zk = await ZkEnsemble.start({ servers: 3 });
 * const client = createZkClient({ connectString: zk.connectString });
 * await zk.kill(0);
 * await zk.restart(0);
 * ```
 */
export class ZkEnsemble implements AsyncDisposable {
  /** Number of servers, observers included. */
  readonly size: number;
  /** The backend that runs the servers. */
  readonly backend: BackendKind;
  /** The options after defaults. */
  readonly options: ResolvedEnsembleOptions;
  readonly #backend: EnsembleBackend;
  #closing: Promise<void> | undefined;

  private constructor(backend: EnsembleBackend, options: ResolvedEnsembleOptions) {
    this.#backend = backend;
    this.options = options;
    this.backend = backend.kind;
    this.size = options.servers + options.observers;
  }

  /**
   * Starts the servers and resolves once every one of them serves clients (`srvr` reports a mode, so a
   * quorum has formed). On failure nothing is left running.
   */
  static async start(options: ZkEnsembleOptions = {}): Promise<ZkEnsemble> {
    const resolved = resolveEnsembleOptions(options);
    const kind = await selectBackend(options.backend);
    const backend: EnsembleBackend =
      kind === 'process'
        ? new (await import('./process-backend.js')).ProcessBackend(resolved)
        : new (await import('./container-backend.js')).ContainerBackend(resolved);
    try {
      await backend.start();
    } catch (error) {
      await backend.close();
      throw error;
    }
    return new ZkEnsemble(backend, resolved);
  }

  #index(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) {
      throw new InvalidArgumentError(
        'server',
        `index must be an integer in 0..${this.size - 1}, got ${String(i)}`,
      );
    }
    return i;
  }

  #endpoint(i: number): { host: string; clientPort: number; secureClientPort: number | undefined } {
    const endpoint = this.#backend.endpoints[this.#index(i)];
    if (endpoint === undefined) throw new Error(`server ${i} has no endpoint`);
    return endpoint;
  }

  /** Every server, e.g. `127.0.0.1:21001,127.0.0.1:21004,127.0.0.1:21007`. */
  get connectString(): string {
    return this.#backend.endpoints.map((e) => `${e.host}:${e.clientPort}`).join(',');
  }

  /** Every server's TLS port, when started with `tls`. */
  get secureConnectString(): string | undefined {
    if (this.options.tls === undefined) return undefined;
    return this.#backend.endpoints.map((e) => `${e.host}:${String(e.secureClientPort)}`).join(',');
  }

  /** Server `i` alone, e.g. `127.0.0.1:21001`. */
  connectStringFor(i: number): string {
    const e = this.#endpoint(i);
    return `${e.host}:${e.clientPort}`;
  }

  clientPort(i: number): number {
    return this.#endpoint(i).clientPort;
  }

  /** Server `i`'s TLS client port, or `undefined` without `tls`. */
  secureClientPort(i: number): number | undefined {
    return this.#endpoint(i).secureClientPort;
  }

  /** Graceful stop (SIGTERM; SIGKILL after 10 s). Resolves when the server is down. */
  stop(i: number): Promise<void> {
    return this.#backend.stop(this.#index(i));
  }

  /** SIGKILL. Resolves when the server is down. */
  kill(i: number): Promise<void> {
    return this.#backend.kill(this.#index(i));
  }

  /**
   * SIGSTOP: the server keeps its sockets but answers nothing, like a long GC pause. Resolves once the
   * JVM is frozen; rejects if server `i` is not running.
   */
  pause(i: number): Promise<void> {
    return this.#backend.pause(this.#index(i));
  }

  /** SIGCONT after {@link ZkEnsemble.pause}; resolves once the JVM runs again. */
  resume(i: number): Promise<void> {
    return this.#backend.resume(this.#index(i));
  }

  /** Stops server `i` if it runs, starts it again on the same data and ports, resolves when it serves. */
  restart(i: number): Promise<void> {
    return this.#backend.restart(this.#index(i));
  }

  /**
   * Restarts every server one at a time, followers first and the leader last, waiting after each one
   * until every server serves again, so the ensemble keeps its quorum throughout.
   */
  async rollingRestart(): Promise<void> {
    const leader = await this.leaderIndex();
    const order = [...Array(this.size).keys()].filter((i) => i !== leader);
    if (leader !== undefined) order.push(leader);
    for (const i of order) {
      await this.restart(i);
      await this.waitServing();
    }
  }

  /** True while server `i`'s process (or container) exists, paused or not. */
  isRunning(i: number): boolean {
    return this.#backend.isRunning(this.#index(i));
  }

  /** True while server `i` is paused. */
  isPaused(i: number): boolean {
    return this.#backend.isPaused(this.#index(i));
  }

  /** What server `i` says it is (`srvr`), or `undefined` when it does not serve. */
  mode(i: number): Promise<ServerMode | undefined> {
    const e = this.#endpoint(i);
    return this.#backend.isPaused(i)
      ? Promise.resolve(undefined)
      : serverMode(e.host, e.clientPort);
  }

  /** Index of the current leader (0 for a standalone server), or `undefined` if none serves as leader. */
  async leaderIndex(): Promise<number | undefined> {
    const modes = await Promise.all([...Array(this.size).keys()].map((i) => this.mode(i)));
    const index = modes.findIndex((m) => m === 'leader' || m === 'standalone');
    return index === -1 ? undefined : index;
  }

  /** Resolves when server `i` (default: every running, unpaused server) serves clients. */
  async waitServing(i?: number, timeoutMs = scaledMs(this.options.startTimeoutMs)): Promise<void> {
    const targets =
      i === undefined
        ? [...Array(this.size).keys()].filter((s) => this.isRunning(s) && !this.isPaused(s))
        : [this.#index(i)];
    await Promise.all(
      targets.map((s) =>
        waitFor(async () => (await this.mode(s)) !== undefined, {
          timeoutMs,
          intervalMs: 100,
          message: `server ${s} to serve`,
        }),
      ),
    );
  }

  /** Server `i`'s log, or every server's log under a `==== zkN ====` header. */
  logs(i?: number): string {
    if (i !== undefined) return this.#backend.logs(this.#index(i));
    return [...Array(this.size).keys()]
      .map((s) => `==== zk${s + 1} ====\n${this.#backend.logs(s)}`)
      .join('\n');
  }

  /** Server `i`'s log file (process backend; `undefined` for containers). Removed by `close()`. */
  logPath(i: number): string | undefined {
    return this.#backend.logPath(this.#index(i));
  }

  /**
   * Server `i`'s JVM pid while it runs (process backend on Linux), else `undefined`. Found through `/proc`
   * by the server's own `zoo.cfg` path, so the pid is that JVM's and no other process's, e.g. for a test
   * in another worker process that kills it with `process.kill(pid, 'SIGKILL')`.
   */
  pid(i: number): number | undefined {
    const logPath = this.logPath(i);
    if (logPath === undefined || !this.isRunning(i)) return undefined;
    const config = join(dirname(logPath), 'zoo.cfg');
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return undefined;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (args.includes(config) && args.some((a) => a.endsWith('java'))) return Number(entry);
      } catch {
        // The process ended while we looked.
      }
    }
    return undefined;
  }

  /** Stops every server and removes its files. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#backend.close();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
