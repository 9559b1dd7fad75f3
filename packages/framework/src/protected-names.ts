/**
 * Curator's protected-node prefix (`ProtectedUtils.PROTECTED_PREFIX`).
 *
 * @example
 * ```ts
 * name.startsWith(PROTECTED_PREFIX); // a protected node name
 * ```
 */
export const PROTECTED_PREFIX = '_c_';

/**
 * `_c_` + 36-character UUID + `-`: 40 characters.
 *
 * @example
 * ```ts
 * const plain = name.slice(PROTECTED_PREFIX_WITH_UUID_LENGTH); // 'lock-0000000001'
 * ```
 */
export const PROTECTED_PREFIX_WITH_UUID_LENGTH = 40;

const UUID =
  /^[0-9a-fA-F]{1,8}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,12}$/;

/**
 * The protected name Curator gives a node: `_c_<uuid>-<name>`.
 *
 * @example
 * ```ts
 * protectedName('8aec7b67-1b2c-4d5e-8f90-123456789abc', 'lock-'); // '_c_8aec7b67-…-lock-'
 * ```
 */
export function protectedName(protectedId: string, name: string): string {
  return `${PROTECTED_PREFIX}${protectedId}-${name}`;
}

/**
 * Curator's `isProtectedZNode`: longer than 40 characters, starts with `_c_`, character 39 is `-`, and
 * characters 3..38 are a UUID.
 *
 * @example
 * ```ts
 * isProtectedZNode('_c_8aec7b67-1b2c-4d5e-8f90-123456789abc-lock-0000000001'); // true
 * isProtectedZNode('lock-0000000001');                                         // false
 * ```
 */
export function isProtectedZNode(name: string): boolean {
  return (
    name.length > PROTECTED_PREFIX_WITH_UUID_LENGTH &&
    name.startsWith(PROTECTED_PREFIX) &&
    name[PROTECTED_PREFIX_WITH_UUID_LENGTH - 1] === '-' &&
    UUID.test(name.slice(PROTECTED_PREFIX.length, PROTECTED_PREFIX_WITH_UUID_LENGTH - 1))
  );
}

/**
 * Curator's `normalize`: the name without its protected prefix (unchanged if not protected).
 *
 * @example
 * ```ts
 * normalizeProtectedName('_c_8aec7b67-1b2c-4d5e-8f90-123456789abc-lock-0000000001'); // 'lock-0000000001'
 * ```
 */
export function normalizeProtectedName(name: string): string {
  return isProtectedZNode(name) ? name.slice(PROTECTED_PREFIX_WITH_UUID_LENGTH) : name;
}

/**
 * The protected id (UUID) inside a protected name, or `undefined`.
 *
 * @example
 * ```ts
 * protectedIdOf('_c_8aec7b67-1b2c-4d5e-8f90-123456789abc-lock-0000000001'); // '8aec7b67-…'
 * ```
 */
export function protectedIdOf(name: string): string | undefined {
  return isProtectedZNode(name)
    ? name.slice(PROTECTED_PREFIX.length, PROTECTED_PREFIX_WITH_UUID_LENGTH - 1)
    : undefined;
}
