import type { Stat } from '@zookit/client';
import type { Codec } from '@zookit/framework';

import type { CacheEvent, NodeSnapshot } from '../cache-types.js';

/** What the engine reads for each node: its data, its children, both. */
export type CacheMode = 'node' | 'children' | 'tree';

/** One node the cache tracks (it may have no valid data yet). */
export interface TreeNode<T> {
  readonly path: string;
  readonly depth: number;
  /** Children's names as last read; undefined until read (or when children are not watched). */
  children: Set<string> | undefined;
  /** mzxid of the newest data reply applied (valid or not); replies not newer are stale. */
  seenMzxid: bigint;
  /** pzxid of the newest children reply applied. */
  seenPzxid: bigint;
  /** The last VALID data; invalid data never replaces it. */
  snapshot: NodeSnapshot<T> | undefined;
}

/** Result of applying a children reply. */
export interface ChildrenApplied {
  /** Every child path the reply listed (a full refresh re-reads them all). */
  readonly all: readonly string[];
  /** Child paths that were not known before (a watch-driven refresh reads only these). */
  readonly added: readonly string[];
}

/** Settings of a {@link CacheTree}. */
export interface CacheTreeSettings<T> {
  readonly rootPath: string;
  readonly mode: CacheMode;
  /** Deepest level whose children are read (root = 0). Only used in `tree` mode. */
  readonly maxDepth: number;
  readonly codec: Codec<T>;
  readonly emit: (event: CacheEvent<T>) => void;
  readonly error: (error: unknown) => void;
}

const NONE = -1n;

/**
 * The cache's state and the rules that turn read replies into events. Pure (no I/O), so the convergence
 * rules are unit-tested without a server:
 * - data replies whose mzxid is not newer than the last one applied are dropped (late or duplicate reads);
 * - children replies whose pzxid is older than the last one applied are dropped;
 * - data that the codec rejects is reported and never replaces the last valid snapshot;
 * - a reply for a node no longer tracked is ignored (a dead node never comes back to life: if it was
 *   re-created, its parent's children watch brings it back).
 * Internal.
 *
 * @example
 * ```ts
 * const tree = new CacheTree({ rootPath: '/r', mode: 'node', maxDepth: 0, codec: utf8Codec, emit: log, error: log });
 * tree.applyData('/r', bytes, stat); // emits `created`, then `changed` for newer mzxids only
 * ```
 */
export class CacheTree<T> {
  readonly #settings: CacheTreeSettings<T>;
  readonly #nodes = new Map<string, TreeNode<T>>();
  readonly root: TreeNode<T>;

  constructor(settings: CacheTreeSettings<T>) {
    this.#settings = settings;
    this.root = newNode(settings.rootPath, 0);
    this.#nodes.set(settings.rootPath, this.root);
  }

  /** Number of tracked nodes (including a missing root). */
  get trackedCount(): number {
    return this.#nodes.size;
  }

  node(path: string): TreeNode<T> | undefined {
    return this.#nodes.get(path);
  }

  /** Whether the node's data is read and watched. */
  wantsData(node: TreeNode<T>): boolean {
    return this.#settings.mode !== 'children' || node.depth > 0;
  }

  /** Whether the node's children are read and watched. */
  wantsChildren(node: TreeNode<T>): boolean {
    switch (this.#settings.mode) {
      case 'node':
        return false;
      case 'children':
        return node.depth === 0;
      case 'tree':
        return node.depth < this.#settings.maxDepth;
    }
  }

  /** The valid snapshot of `path`, if any. */
  get(path: string): NodeSnapshot<T> | undefined {
    return this.#nodes.get(path)?.snapshot;
  }

  /** Every valid snapshot, in insertion order. */
  *snapshots(): IterableIterator<NodeSnapshot<T>> {
    for (const node of this.#nodes.values()) if (node.snapshot !== undefined) yield node.snapshot;
  }

  /** Number of valid snapshots. */
  get size(): number {
    let n = 0;
    for (const node of this.#nodes.values()) if (node.snapshot !== undefined) n++;
    return n;
  }

  /** Applies a data reply. */
  applyData(path: string, bytes: Uint8Array, stat: Stat): void {
    const node = this.#nodes.get(path);
    if (node === undefined || stat.mzxid <= node.seenMzxid) return;
    node.seenMzxid = stat.mzxid;
    let data: T;
    try {
      data = this.#settings.codec.decode(bytes, path);
    } catch (error) {
      this.#settings.error(error);
      return;
    }
    const previous = node.snapshot;
    const current: NodeSnapshot<T> = { path, stat, data };
    node.snapshot = current;
    if (previous === undefined)
      this.#settings.emit({ type: 'created', path, previous: undefined, current });
    else this.#settings.emit({ type: 'changed', path, previous, current });
  }

  /** Applies a children reply; `undefined` when the reply is stale or the node is not tracked. */
  applyChildren(path: string, names: readonly string[], stat: Stat): ChildrenApplied | undefined {
    const node = this.#nodes.get(path);
    if (node === undefined || stat.pzxid < node.seenPzxid) return undefined;
    node.seenPzxid = stat.pzxid;
    const next = new Set(names);
    const previous = node.children;
    node.children = next;
    if (previous !== undefined) {
      for (const name of previous) if (!next.has(name)) this.#removeSubtree(childPath(path, name));
    }
    const all: string[] = [];
    const added: string[] = [];
    // Sorted, like Curator's TreeCache, so the initial `created` events come in a stable order.
    for (const name of [...next].sort()) {
      const child = childPath(path, name);
      all.push(child);
      if (!this.#nodes.has(child)) {
        this.#nodes.set(child, newNode(child, node.depth + 1));
        added.push(child);
      }
    }
    return { all, added };
  }

  /** The node is gone on the server: forget it and everything under it (the root stays tracked, empty). */
  remove(path: string): void {
    const node = this.#nodes.get(path);
    if (node === undefined) return;
    const parent = parentOf(path);
    if (node !== this.root && parent !== undefined)
      this.#nodes.get(parent)?.children?.delete(nameOf(path));
    this.#removeSubtree(path);
  }

  #removeSubtree(path: string): void {
    const node = this.#nodes.get(path);
    if (node === undefined) return;
    // Children first: a consumer sees a subtree disappear bottom-up, never an orphan.
    if (node.children !== undefined) {
      for (const name of [...node.children].sort()) this.#removeSubtree(childPath(path, name));
    }
    const previous = node.snapshot;
    if (node === this.root) {
      node.children = undefined;
      node.snapshot = undefined;
      node.seenMzxid = NONE;
      node.seenPzxid = NONE;
    } else {
      this.#nodes.delete(path);
    }
    if (previous !== undefined)
      this.#settings.emit({ type: 'deleted', path, previous, current: undefined });
  }
}

function newNode<T>(path: string, depth: number): TreeNode<T> {
  return {
    path,
    depth,
    children: undefined,
    seenMzxid: NONE,
    seenPzxid: NONE,
    snapshot: undefined,
  };
}

/**
 * `parent` + `/` + `name`, for the root too.
 *
 * @example
 * ```ts
 * childPath('/', 'a'); // '/a'
 * childPath('/a', 'b'); // '/a/b'
 * ```
 */
export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
