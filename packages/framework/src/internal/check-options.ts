import { CreateMode, InvalidArgumentError } from '@zookit/client';
import { z } from 'zod';

import type { Codec } from '../codec.js';

/**
 * One checker for the options of every public framework call: each call's options are a strict zod object,
 * parsed once per call before anything is sent, and the first issue becomes an `InvalidArgumentError` naming
 * the field (`protected`, `parents`, `codec`…). Without it, `protected: 'yes'` would quietly do a plain
 * create and `parents: 'bogus'` would fail later on the server. Internal.
 */

/**
 * The field a zod issue is about, as the client names fields (`acl[0].perms`); for an unknown key of a
 * strict object, that key. `root` names the input itself and prefixes an array's element paths.
 */
function issueField(
  issue: z.core.$ZodIssue | undefined,
  root: string,
  rootIsArray: boolean,
): string {
  if (issue === undefined) return root;
  const keys: PropertyKey[] = [...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) keys.push(issue.keys[0]);
  let field = rootIsArray ? root : '';
  for (const key of keys) {
    field += typeof key === 'number' ? `[${key}]` : field === '' ? String(key) : `.${String(key)}`;
  }
  return field === '' ? root : field;
}

/**
 * Parses `input` with `schema`; the first issue throws `InvalidArgumentError` naming its field
 * (`fallback` when the input as a whole is wrong, e.g. options that are not an object).
 *
 * @example
 * ```ts
 * parseWith(watcherType, 'bogus', 'removeWatches', 'type', '/a'); // throws InvalidArgumentError, field 'type'
 * ```
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  owner: string,
  fallback: string,
  path?: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidArgumentError(
    issueField(issue, fallback, Array.isArray(input)),
    `${owner}: ${issue?.message ?? 'invalid argument'}`,
    path === undefined ? {} : { path },
  );
}

/**
 * Checks one call's options against its schema (the parsed copy is not used: signals keep identity).
 *
 * @example
 * ```ts
 * checkOptions(createOptions, { protected: 'yes' }, 'create', '/a'); // InvalidArgumentError, field 'protected'
 * ```
 */
export function checkOptions(
  schema: z.ZodType,
  options: unknown,
  owner: string,
  path?: string,
): void {
  // Most calls pass no options (`{}`): skip the parse when this schema accepts an empty object. A zod parse
  // on every getData put the framework's overhead over the raw client from 1.04 to 1.06.
  if (isEmptyObject(options) && acceptsEmpty(schema)) return;
  parseWith(schema, options, owner, 'options', path);
}

const emptyAccepted = new WeakMap<z.ZodType, boolean>();

function acceptsEmpty(schema: z.ZodType): boolean {
  let accepted = emptyAccepted.get(schema);
  if (accepted === undefined) {
    accepted = schema.safeParse({}).success;
    emptyAccepted.set(schema, accepted);
  }
  return accepted;
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const _key in value) return false;
  return true;
}

/**
 * A positional argument that must be a function (`fn`, `listener`).
 *
 * @example
 * ```ts
 * checkFunction(fn, 'fn', 'update', '/counter');
 * ```
 */
export function checkFunction(value: unknown, field: string, owner: string, path?: string): void {
  if (typeof value !== 'function') {
    throw new InvalidArgumentError(
      field,
      `${owner}: must be a function, got ${typeof value}`,
      path === undefined ? {} : { path },
    );
  }
}

const fn = z.custom<(...args: never[]) => unknown>(
  (v) => typeof v === 'function',
  'must be a function',
);
const signal = z.instanceof(AbortSignal, { message: 'must be an AbortSignal' }).optional();
const flag = z.boolean().optional();
const version = z.number().int().min(-1).max(0x7fffffff).optional();
const codec = z
  .custom<Codec<unknown>>((v) => {
    const c = v as Partial<Codec<unknown>> | null;
    return (
      typeof c === 'object' &&
      c !== null &&
      typeof c.encode === 'function' &&
      typeof c.decode === 'function'
    );
  }, 'must be a Codec ({ name, encode(value), decode(bytes) })')
  .optional();
const mode = z.enum(Object.values(CreateMode)).optional();
// The entries are checked by the client's checkAcl (field `acl[i].perms`…) before anything is sent.
const acl = z.array(z.unknown(), 'must be an array of ACL entries').optional();
const data = z
  .union([z.string(), z.instanceof(Uint8Array), z.null()], 'must be a Uint8Array, string or null')
  .optional();

/** `create`, `createWithStat`. */
export const createOptions = z.strictObject({
  mode,
  ttlMs: z.number().optional(),
  acl,
  parents: z
    .union([z.boolean(), z.literal('containers')], "must be a boolean or 'containers'")
    .optional(),
  protected: flag,
  protectedId: z.string().min(1).optional(),
  signal,
  codec,
});

/** `getData`. */
export const getDataOptions = z.strictObject({ watch: fn.optional(), signal, codec });

/** `exists`, `getChildren`, `getChildrenWithStat`, `getConfig`. */
export const watchOptions = z.strictObject({ watch: fn.optional(), signal });

/** `setData`. */
export const setDataOptions = z.strictObject({ version, signal, codec });

/** `setACL`. */
export const setAclOptions = z.strictObject({ version, signal });

/** `delete`. */
export const deleteOptions = z.strictObject({
  version,
  guaranteed: flag,
  recursive: flag,
  quietly: flag,
  ownerSessionId: z.bigint().optional(),
  signal,
});

/** `update`. */
export const updateOptions = z.strictObject({ codec, signal });

/** `getACL`, `sync`, `multi`, `transaction().commit`. */
export const signalOptions = z.strictObject({ signal });

/** `watch`. */
export const persistentWatchOptions = z.strictObject({
  mode: z.enum(['persistent', 'persistentRecursive']),
  signal,
});

/** `removeWatches`. */
export const removeWatchesOptions = z.strictObject({ local: flag, signal });

/** `removeWatches`' `type`. */
export const watcherType = z.enum(['children', 'data', 'any']);

/** `waitForConnection`. */
export const waitOptions = z.strictObject({
  timeoutMs: z.number().nonnegative().optional(),
  signal,
});

/** `onConnectionStateChange`. */
export const stateListenerOptions = z.strictObject({ signal, emitCurrent: flag });

/** `multi`'s operations (paths, data size and ACL entries are checked as each op is namespaced). */
export const multiOps = z.array(
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('create'),
        path: z.string(),
        data,
        mode,
        acl,
        ttlMs: z.number().optional(),
      }),
      z.strictObject({ type: z.literal('delete'), path: z.string(), version }),
      z.strictObject({ type: z.literal('setData'), path: z.string(), data, version }),
      z.strictObject({ type: z.literal('check'), path: z.string(), version: version.unwrap() }),
    ],
    "each op must be { type: 'create' | 'delete' | 'setData' | 'check', path, ... }",
  ),
  'must be an array of ops',
);
