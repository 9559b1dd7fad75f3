/**
 * Where a server's client ports are, as seen from the test process.
 *
 * @example
 * ```ts
 * const endpoint: ServerEndpoint = { host: '127.0.0.1', clientPort: 2181, secureClientPort: undefined };
 * ```
 */
export interface ServerEndpoint {
  readonly host: string;
  readonly clientPort: number;
  readonly secureClientPort: number | undefined;
}

/**
 * What {@link ZkEnsemble} needs from a backend (local processes or containers). Indexes are 0-based;
 * server `i` has `myid` `i + 1`.
 *
 * @example
 * ```ts
 * const backend: EnsembleBackend = new ProcessBackend(resolveEnsembleOptions());
 * ```
 */
export interface EnsembleBackend {
  readonly kind: 'process' | 'containers';
  readonly endpoints: readonly ServerEndpoint[];
  /** Starts every server; resolves when each one serves clients. */
  start(): Promise<void>;
  stop(i: number): Promise<void>;
  kill(i: number): Promise<void>;
  pause(i: number): Promise<void>;
  resume(i: number): Promise<void>;
  /** Starts server `i` again with its data; resolves when it serves clients. */
  restart(i: number): Promise<void>;
  isRunning(i: number): boolean;
  isPaused(i: number): boolean;
  logs(i: number): string;
  /** Server `i`'s log file, when the backend writes one. */
  logPath(i: number): string | undefined;
  close(): Promise<void>;
}
