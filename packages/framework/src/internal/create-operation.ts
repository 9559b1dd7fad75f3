import {
  checkCreate,
  CreateMode,
  isOpenAcl,
  isSequential,
  NoNodeError,
  UnsupportedByTransportError,
} from '@zookit/client';
import type { Acl, CreateResult, NodeData } from '@zookit/client';

import type { Codec } from '../codec.js';
import { checkOptions, createOptions } from './check-options.js';
import { fixForNamespace, unfixForNamespace } from '../namespace-paths.js';
import type { FrameworkCreateOptions } from '../operation-options.js';
import type { FrameworkCore } from './framework-core.js';
import { createNode } from './node-operations.js';
import type { CreateRequest } from './node-operations.js';

/**
 * Refuses, before anything is sent, an ACL the current transport cannot put on a new node (the client
 * would refuse it too, but only after the namespace's containers had been created).
 */
export function checkAclOnCreate(
  core: FrameworkCore,
  path: string,
  acl: readonly Acl[] | undefined,
): void {
  const client = core.sessions.client;
  if (
    acl === undefined ||
    client === undefined ||
    client.capabilities.aclOnCreate ||
    isOpenAcl(acl)
  )
    return;
  throw new UnsupportedByTransportError(client.transport, 'aclOnCreate', { path });
}

/**
 * The one implementation behind `ZkFramework.create` and `createWithStat`: namespacing, codec, the ACL
 * provider, protected create, and one re-creation of a reaped namespace.
 */
export async function createInNamespace(
  core: FrameworkCore,
  namespace: string | undefined,
  path: string,
  data: unknown,
  options: FrameworkCreateOptions & { codec?: Codec<unknown> },
): Promise<CreateResult> {
  checkOptions(createOptions, options, 'create', path);
  const mode = options.mode ?? CreateMode.Persistent;
  const full = fixForNamespace(namespace, path, isSequential(mode));
  const bytes = options.codec === undefined ? (data as NodeData) : options.codec.encode(data, path);
  const acl = options.acl ?? core.aclFor(full);
  const checked = checkCreate(full, bytes, {
    mode,
    ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    ...(acl === undefined ? {} : { acl }),
  });
  checkAclOnCreate(core, full, checked.acl);
  const request: CreateRequest = {
    path: checked.path,
    data: checked.data,
    mode: checked.mode,
    ttlMs: checked.ttlMs,
    acl: checked.acl,
    parentAcl: core.parentAcl,
    parents:
      options.parents === 'containers'
        ? 'containers'
        : options.parents === true
          ? 'persistent'
          : false,
    protected: options.protected === true,
    protectedId: options.protectedId,
  };
  const signal = options.signal;
  const ensuring = namespace === undefined ? undefined : core.ensureNamespace(namespace, signal);
  if (ensuring !== undefined) await ensuring;
  let created: CreateResult;
  try {
    created = await createNode(core, request, signal);
  } catch (error) {
    // The namespace node is a container made once; once the server reaps it (empty), every create without
    // `parents` would fail with NO_NODE for good. Re-create it once and try again, but only if it was gone.
    if (!(error instanceof NoNodeError) || namespace === undefined || request.parents !== false)
      throw error;
    if (!(await core.reensureNamespace(namespace, signal))) throw error;
    created = await createNode(core, request, signal);
  }
  return { path: unfixForNamespace(namespace, created.path), stat: created.stat };
}
