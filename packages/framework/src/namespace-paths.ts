import { InvalidArgumentError, validatePath } from '@zookit/client';

/**
 * Checks a namespace (`app` or `app/sub`, no leading slash) the way Curator does: `"/" + namespace` must
 * be a valid path. Returns it with surrounding slashes removed, or `undefined` for none.
 *
 * @example
 * ```ts
 * checkNamespace('app/sub'); // 'app/sub'
 * ```
 */
export function checkNamespace(namespace: string | undefined): string | undefined {
  if (namespace === undefined || namespace === '') return undefined;
  if (typeof namespace !== 'string')
    throw new InvalidArgumentError('namespace', 'must be a string');
  const trimmed = namespace.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return undefined;
  try {
    validatePath('/' + trimmed);
  } catch (cause) {
    throw new InvalidArgumentError('namespace', (cause as Error).message, { cause });
  }
  return trimmed;
}

/**
 * Curator's `ZKPaths.fixForNamespace`: prefixes `/namespace` and validates the result (as `path + "1"` for
 * sequential creates, so `/q/` is allowed).
 *
 * @example
 * ```ts
 * fixForNamespace('app', '/locks'); // '/app/locks'
 * fixForNamespace('app', '/');      // '/app'
 * ```
 */
export function fixForNamespace(
  namespace: string | undefined,
  path: string,
  sequential = false,
): string {
  validatePath(path, sequential);
  if (namespace === undefined) return path;
  return path === '/' ? `/${namespace}` : `/${namespace}${path}`;
}

/**
 * Removes the namespace prefix from a path coming back from ZooKeeper (create results, watch events).
 *
 * @example
 * ```ts
 * unfixForNamespace('app', '/app/locks/lock-0000000001'); // '/locks/lock-0000000001'
 * ```
 */
export function unfixForNamespace(namespace: string | undefined, path: string): string {
  if (namespace === undefined) return path;
  const prefix = `/${namespace}`;
  if (path === prefix) return '/';
  return path.startsWith(prefix + '/') ? path.slice(prefix.length) : path;
}
