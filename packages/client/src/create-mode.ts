/**
 * How a node is created. Values match ZooKeeper's `CreateMode`; TTL modes need a server with
 * `zookeeper.extendedTypesEnabled=true` and a `ttlMs` option.
 *
 * @example
 * ```ts
 * await client.create('/jobs/job-', data, { mode: CreateMode.EphemeralSequential });
 * ```
 */
export const CreateMode = {
  Persistent: 'persistent',
  PersistentSequential: 'persistentSequential',
  Ephemeral: 'ephemeral',
  EphemeralSequential: 'ephemeralSequential',
  Container: 'container',
  PersistentWithTtl: 'persistentWithTtl',
  PersistentSequentialWithTtl: 'persistentSequentialWithTtl',
} as const;

/** One of the {@link CreateMode} values. */
export type CreateMode = (typeof CreateMode)[keyof typeof CreateMode];

/**
 * The wire flag ZooKeeper uses for each mode (`CreateMode.toFlag()`).
 *
 * @example
 * ```ts
 * createModeFlag[CreateMode.EphemeralSequential]; // 3, the flags field of a create request
 * ```
 */
export const createModeFlag: Readonly<Record<CreateMode, number>> = {
  persistent: 0,
  ephemeral: 1,
  persistentSequential: 2,
  ephemeralSequential: 3,
  container: 4,
  persistentWithTtl: 5,
  persistentSequentialWithTtl: 6,
};

/**
 * Whether the mode appends a sequence number.
 *
 * @example
 * ```ts
 * isSequential(CreateMode.EphemeralSequential); // true
 * ```
 */
export function isSequential(mode: CreateMode): boolean {
  return (
    mode === 'persistentSequential' ||
    mode === 'ephemeralSequential' ||
    mode === 'persistentSequentialWithTtl'
  );
}

/**
 * Whether the mode creates an ephemeral node.
 *
 * @example
 * ```ts
 * isEphemeral(CreateMode.Ephemeral); // true
 * ```
 */
export function isEphemeral(mode: CreateMode): boolean {
  return mode === 'ephemeral' || mode === 'ephemeralSequential';
}

/**
 * Whether the mode needs a `ttlMs`.
 *
 * @example
 * ```ts
 * isTtl(CreateMode.PersistentWithTtl); // true
 * ```
 */
export function isTtl(mode: CreateMode): boolean {
  return mode === 'persistentWithTtl' || mode === 'persistentSequentialWithTtl';
}
