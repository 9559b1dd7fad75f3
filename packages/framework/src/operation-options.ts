import type { CreateOptions, Stat, WatchListener } from '@zookit/client';

import type { Codec } from './codec.js';

/**
 * Options plus the codec that encodes (writes) or decodes (reads) the node data.
 *
 * @example
 * ```ts
 * const options: WithCodec<FrameworkReadOptions, Config> = { codec: jsonCodec(Config) };
 * ```
 */
export type WithCodec<O, T> = O & { readonly codec: Codec<T> };

/**
 * Options of {@link ZkFramework.create}. Like the options of every framework call, they are checked before
 * anything is sent: a value of the wrong kind or an unknown key throws `InvalidArgumentError` naming it.
 *
 * @example
 * ```ts
 * const options: FrameworkCreateOptions = { mode: CreateMode.EphemeralSequential, parents: 'containers', protected: true };
 * ```
 */
export interface FrameworkCreateOptions extends CreateOptions {
  /** Create missing parents first: `true` as persistent nodes, `'containers'` as containers. */
  readonly parents?: boolean | 'containers';
  /** Curator's protected create (`_c_<uuid>-` name prefix): never a duplicate after a connection loss. */
  readonly protected?: boolean;
  /** @internal Reuse a protected id (PersistentNode keeps its name across re-creates). */
  readonly protectedId?: string;
  readonly signal?: AbortSignal;
}

/**
 * Options of the reads (`getData`, `exists`, `getChildren`).
 *
 * @example
 * ```ts
 * await zk.getData('/cfg', { watch: (e) => console.log(e.type, e.path), signal });
 * ```
 */
export interface FrameworkReadOptions {
  /** One-shot watch; its event paths are relative to the namespace. */
  readonly watch?: WatchListener;
  readonly signal?: AbortSignal;
}

/**
 * Options of {@link ZkFramework.setData} and `setACL`.
 *
 * @example
 * ```ts
 * await zk.setData('/cfg', data, { version: stat.version });
 * ```
 */
export interface FrameworkSetDataOptions {
  /** Expected version, -1 (default) for any. */
  readonly version?: number;
  readonly signal?: AbortSignal;
}

/**
 * Options of {@link ZkFramework.delete}.
 *
 * @example
 * ```ts
 * await zk.delete('/jobs', { recursive: true, quietly: true });
 * ```
 */
export interface FrameworkDeleteOptions {
  /** Expected version, -1 (default) for any. */
  readonly version?: number;
  /** Keep retrying in the background after a failure with unknown outcome, until the node is gone. */
  readonly guaranteed?: boolean;
  /** Delete the children first, depth-first (Curator's `deletingChildrenIfNeeded`). */
  readonly recursive?: boolean;
  /** A missing node is success (Curator's `quietly`). */
  readonly quietly?: boolean;
  /**
   * With `guaranteed`: the session that owns the (ephemeral) node. The background delete stops when the
   * node at the path belongs to another session (ours is gone and someone created the path again).
   */
  readonly ownerSessionId?: bigint;
  readonly signal?: AbortSignal;
}

/**
 * Options of waits.
 *
 * @example
 * ```ts
 * await zk.waitForConnection({ timeoutMs: 5_000, signal });
 * ```
 */
export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * A read decoded by a codec.
 *
 * @example
 * ```ts
 * const { data, stat }: DecodedData<Config> = await zk.getData('/cfg', { codec: jsonCodec(Config) });
 * ```
 */
export interface DecodedData<T> {
  readonly data: T;
  readonly stat: Stat;
}
