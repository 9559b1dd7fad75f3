import { toData, toVersion } from '@zookit/client';
import type {
  DataResult,
  NodeData,
  PersistentWatchMode,
  Stat,
  Unsubscribe,
  WatchListener,
  WatchOptions,
  ZkClient,
} from '@zookit/client';

import type { z } from 'zod';

import type { Codec } from '../codec.js';
import { fixForNamespace, unfixForNamespace } from '../namespace-paths.js';
import type {
  DecodedData,
  FrameworkReadOptions,
  FrameworkSetDataOptions,
} from '../operation-options.js';
import {
  checkFunction,
  checkOptions,
  getDataOptions,
  persistentWatchOptions,
  setDataOptions,
} from './check-options.js';
import type { FrameworkCore } from './framework-core.js';
import { bindToSignal } from './multi-operation.js';

/**
 * What one `ZkFramework` view adds to the core it shares: its namespace. Paths go into it, its containers
 * are made before the first operation, and watch events come back out of it. Internal.
 *
 * @example
 * ```ts
 * const scope = new NamespaceScope(core, 'app');
 * const stat = await scope.run((c) => c.exists(scope.path('/a')), undefined); // /app/a
 * ```
 */
export class NamespaceScope {
  readonly core: FrameworkCore;
  readonly namespace: string | undefined;

  constructor(core: FrameworkCore, namespace: string | undefined) {
    this.core = core;
    this.namespace = namespace;
  }

  /** The full path of `path` in the namespace (validated; `sequential` allows a trailing slash). */
  path(path: string, sequential = false): string {
    return fixForNamespace(this.namespace, path, sequential);
  }

  /**
   * The full path of `path`, after checking the call's `options` against `schema` (the shared per-call
   * checker): a bad field throws `InvalidArgumentError` naming it, before anything is sent.
   */
  prepare(owner: string, path: string, schema: z.ZodType, options: unknown): string {
    const full = this.path(path);
    checkOptions(schema, options, owner, path);
    return full;
  }

  /** Makes sure the namespace exists; `undefined` when there is nothing to wait for. */
  ensure(signal: AbortSignal | undefined): Promise<void> | undefined {
    return this.namespace === undefined
      ? undefined
      : this.core.ensureNamespace(this.namespace, signal);
  }

  /** Runs `fn` under the retry policy once the namespace exists. */
  run<T>(fn: (client: ZkClient) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const ensuring = this.ensure(signal);
    return ensuring === undefined
      ? this.core.run(fn, signal)
      : ensuring.then(() => this.core.run(fn, signal));
  }

  /** The client's watch options for an optional one-shot watch listener ({@link NamespaceScope.wrapListener}). */
  watchOptions(listener: WatchListener | undefined): WatchOptions {
    return listener === undefined ? {} : { watch: this.wrapListener(listener) };
  }

  /** `listener` with event paths taken out of the namespace and its exceptions sent to `errors$`. */
  wrapListener(listener: WatchListener): WatchListener {
    return (event) => {
      try {
        listener({ ...event, path: unfixForNamespace(this.namespace, event.path) });
      } catch (error) {
        this.core.reportError(error);
      }
    };
  }

  /** `ZkFramework.getData`: data and stat, decoded with the `codec` if one is given. */
  getData(
    path: string,
    options: FrameworkReadOptions & { codec?: Codec<unknown> },
  ): Promise<DecodedData<unknown>> {
    // Not async: this is the hottest call, and each async layer costs measurable microseconds.
    let full: string;
    try {
      full = this.prepare('getData', path, getDataOptions, options);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const watch = this.watchOptions(options.watch);
    const read = (): Promise<DataResult> =>
      this.core.run((c) => c.getData(full, watch), options.signal);
    const ensuring = this.ensure(options.signal);
    const result = ensuring === undefined ? read() : ensuring.then(read);
    const codec = options.codec;
    if (codec === undefined) return result;
    return result.then((r) => ({ data: codec.decode(r.data, path), stat: r.stat }));
  }

  /** `ZkFramework.setData`: `data` encoded with the `codec` if one is given. */
  async setData(
    path: string,
    data: unknown,
    options: FrameworkSetDataOptions & { codec?: Codec<unknown> },
  ): Promise<Stat> {
    const full = this.prepare('setData', path, setDataOptions, options);
    const codec = options.codec;
    const bytes = toData(full, codec === undefined ? (data as NodeData) : codec.encode(data, path));
    const version = toVersion(full, options.version);
    return this.run((c) => c.setData(full, bytes, { version }), options.signal);
  }

  /** `ZkFramework.watch`: a persistent watch whose events come back out of the namespace. */
  async addWatch(
    path: string,
    options: { readonly mode: PersistentWatchMode; readonly signal?: AbortSignal },
    listener: WatchListener,
  ): Promise<Unsubscribe> {
    const full = this.prepare('watch', path, persistentWatchOptions, options);
    checkFunction(listener, 'listener', 'watch', path);
    const { mode, signal } = options;
    const wrapped = this.wrapListener(listener);
    return bindToSignal(await this.run((c) => c.addWatch(full, mode, wrapped), signal), signal);
  }
}
