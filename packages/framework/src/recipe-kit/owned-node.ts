import { CreateMode, isEphemeral, nodeName } from '@zookit/client';
import type { NodeData, Stat } from '@zookit/client';

import { RecipeStateError } from '../recipe-state-error.js';
import type { ZkFramework } from '../zk-framework.js';

/**
 * Options of {@link OwnedNode}.
 *
 * @example
 * ```ts
 * const options: OwnedNodeOptions = { path: '/election/latch-', data: 'node-1' };
 * ```
 */
export interface OwnedNodeOptions {
  /** The path to create, e.g. `/election/latch-` (a sequential mode appends the number). */
  readonly path: string;
  /** Default `ephemeralSequential`. */
  readonly mode?: CreateMode;
  /** The node's data, or a function giving it at each create. Default empty. */
  readonly data?: NodeData | (() => NodeData);
  /** How to create missing parents. Default `'containers'` (Curator's recipes). */
  readonly parents?: boolean | 'containers';
}

/**
 * "Our node" bookkeeping for contender recipes: a protected create (`_c_<uuid>-` prefix, container
 * parents) that never duplicates after a connection loss, an ownership check (`ephemeralOwner` = current
 * session, LeaderLatch's check), discarding a node left by an older session (guaranteed delete, then a
 * fresh create), and a guaranteed delete on close, including a create still in flight when close is called.
 *
 * @example
 * ```ts
 * const node = new OwnedNode(zk, { path: '/election/latch-', data: 'node-1' });
 * const path = await node.ensure(signal);   // creates, or keeps the node if this session owns it
 * await node.close();                       // guaranteed delete
 * ```
 */
export class OwnedNode {
  readonly #framework: ZkFramework;
  readonly #path: string;
  readonly #mode: CreateMode;
  readonly #data: NodeData | (() => NodeData);
  readonly #parents: boolean | 'containers';
  #current: string | undefined;
  #ownerSessionId: bigint | undefined;
  #creating: Promise<string> | undefined;
  #closed = false;

  constructor(framework: ZkFramework, options: OwnedNodeOptions) {
    this.#framework = framework;
    this.#path = options.path;
    this.#mode = options.mode ?? CreateMode.EphemeralSequential;
    this.#data = options.data ?? null;
    this.#parents = options.parents ?? 'containers';
  }

  /** Our node's path (framework-relative), if we have one. */
  get path(): string | undefined {
    return this.#current;
  }

  /** Our node's name (last segment), if we have one. */
  get name(): string | undefined {
    return this.#current === undefined ? undefined : nodeName(this.#current);
  }

  /** The session that created our node. */
  get ownerSessionId(): bigint | undefined {
    return this.#ownerSessionId;
  }

  /** True if `stat` is of a node the current session owns (always true for non-ephemeral modes). */
  verifyOwnership(stat: Stat): boolean {
    if (!isEphemeral(this.#mode)) return true;
    return (
      this.#framework.sessionId !== undefined && stat.ephemeralOwner === this.#framework.sessionId
    );
  }

  /**
   * Makes sure we have a node owned by the current session: keeps it if so; otherwise discards it
   * (guaranteed delete) and creates a new one. Resolves with the path.
   */
  async ensure(signal?: AbortSignal): Promise<string> {
    this.#assertOpen();
    const current = this.#current;
    if (current !== undefined) {
      const stat = await this.#framework.exists(current, signal === undefined ? {} : { signal });
      if (stat !== null && this.verifyOwnership(stat)) return current;
      await this.discard();
    }
    return this.create(signal);
  }

  /** Creates a new node (discarding nothing). Single-flight: concurrent calls share one create. */
  create(signal?: AbortSignal): Promise<string> {
    this.#assertOpen();
    this.#creating ??= this.#doCreate(signal).finally(() => {
      this.#creating = undefined;
    });
    return this.#creating;
  }

  /** Forgets our node and deletes it with a guaranteed delete. Errors go to the framework's `errors$`. */
  async discard(): Promise<void> {
    const path = this.#current;
    const owner = this.#ownerSessionId;
    this.#current = undefined;
    this.#ownerSessionId = undefined;
    if (path === undefined) return;
    try {
      await this.#framework.delete(path, {
        guaranteed: true,
        quietly: true,
        ...(owner === undefined || !isEphemeral(this.#mode) ? {} : { ownerSessionId: owner }),
      });
    } catch {
      // The guaranteed delete keeps going in the background and reports to errors$.
    }
  }

  /** Stops and deletes our node, waiting for a create in flight first. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const creating = this.#creating;
    if (creating !== undefined) await creating.catch(() => undefined);
    await this.discard();
  }

  async #doCreate(signal?: AbortSignal): Promise<string> {
    const data = typeof this.#data === 'function' ? this.#data() : this.#data;
    const path = await this.#framework.create(this.#path, data, {
      mode: this.#mode,
      parents: this.#parents,
      protected: true,
      ...(signal === undefined ? {} : { signal }),
    });
    this.#current = path;
    this.#ownerSessionId = this.#framework.sessionId;
    // Curator's PersistentNode closed-state callback: a create that raced with close is deleted at once.
    if (this.#closed) {
      await this.discard();
      throw new RecipeStateError('closed', 'OwnedNode was closed while creating');
    }
    return path;
  }

  #assertOpen(): void {
    if (this.#closed) throw new RecipeStateError('closed', 'OwnedNode is closed');
  }
}
