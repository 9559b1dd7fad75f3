import { randomUUID } from 'node:crypto';

import {
  ClientClosedError,
  CreateMode,
  isEphemeral,
  NodeExistsError,
  NoNodeError,
  NotEmptyError,
  parentPath,
  nodeName,
  ZkError,
} from '@zookit/client';
import type { Acl, CreateResult, NodeData, ZkClient } from '@zookit/client';
import { isRetryableError, RetriesExhaustedError } from '@zookit/retry';

import { protectedName } from '../protected-names.js';
import type { FrameworkDeleteOptions } from '../operation-options.js';
import type { FrameworkCore } from './framework-core.js';

/** A create as the framework runs it (paths already namespaced and validated). */
export interface CreateRequest {
  readonly path: string;
  readonly data: NodeData;
  readonly mode: CreateMode;
  readonly ttlMs: number | undefined;
  readonly acl: readonly Acl[] | undefined;
  /** ACL of created parents (the ACL provider), `undefined` for the server default. */
  readonly parentAcl: ((path: string) => readonly Acl[] | undefined) | undefined;
  readonly parents: false | 'persistent' | 'containers';
  readonly protected: boolean;
  /** Reuse this protected id (PersistentNode keeps its name across re-creates). */
  readonly protectedId: string | undefined;
}

/**
 * Curator's `ZKPaths.mkdirs(makeLastNode = true)`: walks up with `exists` to the first existing ancestor
 * (needs no read permission higher up), then creates each missing node downwards with empty data,
 * ignoring NODE_EXISTS. Each node gets `aclFor(path)` (Curator applies the ACL provider to parents too).
 * Resolves `true` if it created any node.
 */
export async function mkdirs(
  client: ZkClient,
  path: string,
  asContainers: boolean,
  aclFor?: (path: string) => readonly Acl[] | undefined,
): Promise<boolean> {
  const missing: string[] = [];
  for (let p: string | undefined = path; p !== undefined && p !== '/'; p = parentPath(p)) {
    if ((await client.exists(p)) !== null) break;
    missing.push(p);
  }
  const mode = asContainers ? CreateMode.Container : CreateMode.Persistent;
  let created = false;
  for (const p of missing.reverse()) {
    const acl = aclFor?.(p);
    try {
      await client.create(p, null, acl === undefined ? { mode } : { mode, acl });
      created = true;
    } catch (error) {
      if (!(error instanceof NodeExistsError)) throw error;
    }
  }
  return created;
}

/** Creates; on NO_NODE with `parents`, creates the parents and tries once more (Curator's order). */
export async function createWithParents(
  client: ZkClient,
  path: string,
  request: CreateRequest,
): Promise<CreateResult> {
  const options = {
    mode: request.mode,
    ...(request.ttlMs === undefined ? {} : { ttlMs: request.ttlMs }),
    ...(request.acl === undefined ? {} : { acl: request.acl }),
  };
  try {
    return await client.createWithStat(path, request.data, options);
  } catch (error) {
    const parent = parentPath(path);
    if (!(error instanceof NoNodeError) || request.parents === false || parent === undefined)
      throw error;
    await mkdirs(client, parent, request.parents === 'containers', request.parentAcl);
    return client.createWithStat(path, request.data, options);
  }
}

/** The first child of `parent` whose name starts with `_c_<id>-`, as a full path. NO_NODE → not found. */
export async function findProtectedNode(
  client: ZkClient,
  parent: string,
  protectedId: string,
): Promise<string | undefined> {
  let children: string[];
  try {
    children = (await client.getChildren(parent)).children;
  } catch (error) {
    if (error instanceof NoNodeError) return undefined;
    throw error;
  }
  const prefix = protectedName(protectedId, '');
  const found = children.find((c) => c.startsWith(prefix));
  return found === undefined ? undefined : joinChild(parent, found);
}

/**
 * Curator's protected create. The first attempt creates `parent/_c_<id>-name`; every retry first looks for
 * a child with that prefix and, if found, returns it instead of creating again. For ephemeral modes a node
 * found after the session changed belongs to a dead session: it is deleted and a fresh one is created. If
 * the create finally fails with an unknown outcome, the orphan is searched and deleted in the background.
 */
export async function createNode(
  core: FrameworkCore,
  request: CreateRequest,
  signal?: AbortSignal,
): Promise<CreateResult> {
  if (!request.protected) {
    return core.run((client) => createWithParents(client, request.path, request), signal);
  }
  const parent = parentPath(request.path) ?? '/';
  const protectedId = request.protectedId ?? randomUUID();
  const path = joinChild(parent, protectedName(protectedId, nodeName(request.path)));
  const ephemeral = isEphemeral(request.mode);
  let sent = false;
  let ambiguous = false;
  let sessionId: bigint | undefined;
  try {
    return await core.run(async (client) => {
      if (sent) {
        const found = await findProtectedNode(client, parent, protectedId);
        if (found !== undefined) {
          if (!ephemeral || sessionId === undefined || sessionId === client.sessionId) {
            // Rare path (a retry found our node): read its stat where create would have returned one.
            const stat = client.capabilities.create2
              ? ((await client.exists(found)) ?? undefined)
              : undefined;
            return { path: found, stat };
          }
          core.guaranteedDelete({ path: found, version: -1, ownerSessionId: sessionId });
        }
      }
      if (ephemeral) sessionId = client.sessionId;
      sent = true;
      try {
        return await createWithParents(client, path, request);
      } catch (error) {
        // Any attempt with an unknown outcome may have left a node, whatever the final error is.
        if (!(error instanceof ZkError) || error.outcomeUnknown) ambiguous = true;
        throw error;
      }
    }, signal);
  } catch (error) {
    if (sent && (ambiguous || !(error instanceof ZkError) || signal?.aborted === true)) {
      core.deleteProtectedOrphan(parent, protectedId, ephemeral ? sessionId : undefined);
    }
    throw error;
  }
}

/** Curator's `FindAndDeleteProtectedNodeInBackground`: keeps looking until found and deleted, or closed. */
export async function findAndDeleteProtected(
  core: FrameworkCore,
  parent: string,
  protectedId: string,
  ownerSessionId: bigint | undefined,
): Promise<void> {
  const found = await core.run(
    (client) => findProtectedNode(client, parent, protectedId),
    core.closeSignal,
  );
  if (found !== undefined) core.guaranteedDelete({ path: found, version: -1, ownerSessionId });
}

/** `ZkFramework.delete` on a namespaced, validated path: recursive, quietly and guaranteed. */
export async function deleteNode(
  core: FrameworkCore,
  path: string,
  version: number,
  options: FrameworkDeleteOptions,
): Promise<void> {
  try {
    if (options.recursive === true) await deleteRecursive(core, path, version, options.signal);
    else await core.run((c) => c.delete(path, { version }), options.signal);
  } catch (error) {
    if (error instanceof NoNodeError && options.quietly === true) return;
    // Curator hands a guaranteed delete to the background when it finally fails with a retryable error,
    // an unknown outcome, or an interruption (abort); a definite answer (NO_AUTH, NOT_EMPTY…) is final.
    const last = error instanceof RetriesExhaustedError ? error.cause : error;
    const definite = last instanceof ZkError && !last.outcomeUnknown && !isRetryableError(last);
    if (options.guaranteed === true && !definite && !(last instanceof ClientClosedError)) {
      core.guaranteedDelete({ path, version, ownerSessionId: options.ownerSessionId });
    }
    throw error;
  }
}

/** Curator's `deletingChildrenIfNeeded`: on NOT_EMPTY, deletes the subtree depth-first, then the node. */
export async function deleteRecursive(
  core: FrameworkCore,
  path: string,
  version: number,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await core.run((client) => client.delete(path, { version }), signal);
  } catch (error) {
    if (!(error instanceof NotEmptyError)) throw error;
    await deleteChildren(core, path, signal);
    await core.run((client) => client.delete(path, { version }), signal);
  }
}

async function deleteChildren(
  core: FrameworkCore,
  path: string,
  signal?: AbortSignal,
): Promise<void> {
  let children: string[];
  try {
    children = await core.run(async (client) => (await client.getChildren(path)).children, signal);
  } catch (error) {
    if (error instanceof NoNodeError) return;
    throw error;
  }
  for (const child of children) {
    const childPath = joinChild(path, child);
    await deleteChildren(core, childPath, signal);
    try {
      await core.run((client) => client.delete(childPath), signal);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
    }
  }
}

/** `parent` + `/` + `child`, without a double slash under the root. */
export function joinChild(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
