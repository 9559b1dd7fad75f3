import { randomUUID } from 'node:crypto';

import type { ZkEnsembleOptions } from './ensemble-options.js';
import { FaultProxy } from './fault-proxy.js';
import { ZkEnsemble } from './zk-ensemble.js';

/**
 * The vitest hooks a {@link ChaosSetup} registers (passed in, so this module does not import vitest and
 * stays usable from benchmarks and examples).
 *
 * @example
 * ```ts
 * import { afterAll, afterEach, beforeAll } from 'vitest';
 * const hooks: ChaosHooks = { beforeAll, afterAll, afterEach };
 * ```
 */
export interface ChaosHooks {
  beforeAll(fn: () => Promise<void>): void;
  afterAll(fn: () => Promise<void>): void;
  afterEach(fn: () => Promise<void>): void;
}

/**
 * Anything a chaos test opens and must close (a framework, a recipe, a client).
 *
 * @example
 * ```ts
 * const zk: Closable = createFramework({ connectString });
 * ```
 */
export interface Closable {
  close(): Promise<unknown>;
}

/**
 * A client that connects in the background after `start()` (e.g. a `ZkFramework`).
 *
 * @example
 * ```ts
 * const zk: Connectable = createFramework({ connectString });
 * ```
 */
export interface Connectable extends Closable {
  start(): Promise<unknown>;
  waitForConnection(options: { timeoutMs?: number }): Promise<unknown>;
}

/**
 * Starts `client` and waits (at most `timeoutMs`, default 20 s) for its first connection; closes it if that
 * fails, so a test that cannot connect leaks nothing.
 *
 * @example
 * ```ts
 * const zk = await startConnected(createFramework({ connectString, sessionTimeoutMs: 4000 }));
 * ```
 */
export async function startConnected<T extends Connectable>(
  client: T,
  timeoutMs = 20_000,
): Promise<T> {
  try {
    await client.start();
    await client.waitForConnection({ timeoutMs });
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

/**
 * A namespace of its own for one test (`<prefix>-<uuid>`), so tests sharing a server never meet.
 *
 * @example
 * ```ts
 * const zk = createFramework({ connectString, namespace: uniqueNamespace('locks') });
 * ```
 */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * The ensemble of a chaos suite. Defaults: one server, `tickTimeMs: 500` (so short session timeouts such as
 * 3000–4000 ms are allowed and expiries are fast).
 *
 * @example
 * ```ts
 * const options: ChaosSetupOptions = { servers: 3, tickTimeMs: 500 };
 * ```
 */
export type ChaosSetupOptions = ZkEnsembleOptions;

/**
 * What every chaos suite sets up: its own small ensemble with a short tick time, fault proxies in front of
 * its servers, the clients opened through them, and a clean-up after each test that closes all of it in
 * reverse order (a proxy outlives the clients that use it). Clients are whatever the caller opens (the
 * harness does not depend on `@zookit/framework`).
 *
 * @example
 * ```ts
 * const chaos = ChaosSetup.forSuite({ beforeAll, afterAll, afterEach });
 *
 * it('survives a partition', async () => {
 *   const { client: zk, proxy } = await chaos.proxied((connectString) =>
 *     startedFramework({ connectString, sessionTimeoutMs: 4000 }),
 *   );
 *   proxy.partition();
 *   // ...
 * });
 * ```
 */
export class ChaosSetup {
  readonly #options: ChaosSetupOptions;
  readonly #cleanup: (() => unknown)[] = [];
  #ensemble: ZkEnsemble | undefined;

  constructor(options: ChaosSetupOptions = {}) {
    this.#options = { servers: 1, tickTimeMs: 500, ...options };
  }

  /** A setup whose ensemble starts before the suite, is cleaned after each test and stops after the suite. */
  static forSuite(hooks: ChaosHooks, options: ChaosSetupOptions = {}): ChaosSetup {
    const setup = new ChaosSetup(options);
    hooks.beforeAll(() => setup.start());
    hooks.afterEach(() => setup.cleanup());
    hooks.afterAll(() => setup.close());
    return setup;
  }

  /** The suite's ensemble; throws before `start()`. */
  get ensemble(): ZkEnsemble {
    if (this.#ensemble === undefined) throw new Error('ChaosSetup: start() first');
    return this.#ensemble;
  }

  /** Starts the ensemble. */
  async start(): Promise<void> {
    this.#ensemble ??= await ZkEnsemble.start(this.#options);
  }

  /** Runs `fn` at the next clean-up (after the test), before everything registered earlier. */
  defer(fn: () => unknown): void {
    this.#cleanup.push(fn);
  }

  /** Registers `client` for closing at the next clean-up and returns it. */
  async open<T extends Closable>(client: T | Promise<T>): Promise<T> {
    const opened = await client;
    this.defer(() => opened.close());
    return opened;
  }

  /** A fault proxy in front of server `server` (default 0), closed at the next clean-up. */
  async proxy(server = 0): Promise<FaultProxy> {
    return this.open(FaultProxy.start({ target: this.ensemble.connectStringFor(server) }));
  }

  /** A client opened by `connect` through a new fault proxy to server `server`; both closed at clean-up. */
  async proxied<T extends Closable>(
    connect: (connectString: string) => Promise<T>,
    server = 0,
  ): Promise<{ client: T; proxy: FaultProxy }> {
    const proxy = await this.proxy(server);
    const client = await this.open(connect(proxy.connectString));
    return { client, proxy };
  }

  /** Closes, newest first, everything registered since the last clean-up (all of it, even if one throws). */
  async cleanup(): Promise<void> {
    const errors: unknown[] = [];
    for (const fn of this.#cleanup.splice(0).reverse()) {
      try {
        await fn();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'ChaosSetup: clean-up failed');
  }

  /** Cleans up, then stops the ensemble. Idempotent. */
  async close(): Promise<void> {
    try {
      await this.cleanup();
    } finally {
      const ensemble = this.#ensemble;
      this.#ensemble = undefined;
      await ensemble?.close();
    }
  }
}
