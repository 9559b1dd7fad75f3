import { InvalidPathError } from './errors.js';

/**
 * Checks a ZooKeeper path against the server's rules (`PathUtils.validatePath`) and throws
 * {@link InvalidPathError} naming the path and the rule it broke. Nothing invalid ever reaches the server.
 *
 * @param path - an absolute path such as `/app/config`.
 * @param isSequential - true for sequential creates, where a trailing `/` is allowed (the server appends
 *   the sequence number).
 * @example
 * ```ts
 * validatePath('/app/config');      // ok
 * validatePath('/app/');            // throws InvalidPathError: trailing slash
 * ```
 */
export function validatePath(path: unknown, isSequential = false): asserts path is string {
  if (typeof path !== 'string') throw new InvalidPathError(String(path), 'path must be a string');
  if (path.length === 0) throw new InvalidPathError(path, 'path must not be empty');
  if (path[0] !== '/') throw new InvalidPathError(path, 'path must start with /');
  if (path.length === 1) return;
  // Like the server's PathUtils: a sequential create may end in '/', the server appends the number.
  const checked = isSequential ? path + '1' : path;
  if (checked.endsWith('/')) throw new InvalidPathError(path, 'path must not end with /');
  for (const segment of checked.slice(1).split('/')) {
    if (segment.length === 0) throw new InvalidPathError(path, 'empty segment (//)');
    if (segment === '.' || segment === '..') {
      throw new InvalidPathError(path, `relative segment "${segment}"`);
    }
  }
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0) throw new InvalidPathError(path, `NUL character at index ${i}`);
    // The server's PathUtils ranges: control characters, and every UTF-16 surrogate or private-use unit
    // (the server rejects even well-formed surrogate pairs, so emoji cannot appear in paths).
    if (
      (c > 0x00 && c <= 0x1f) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xf8ff) ||
      (c >= 0xfff0 && c <= 0xffff)
    ) {
      const hex = c.toString(16).padStart(4, '0');
      throw new InvalidPathError(path, `forbidden character U+${hex} at index ${i}`);
    }
  }
}

/**
 * Joins path segments into a ZooKeeper path (Curator's `ZKPaths.makePath`): exactly one `/` between
 * segments, none at the end.
 *
 * @example
 * ```ts
 * joinPath('/app', 'locks', 'lock-'); // '/app/locks/lock-'
 * ```
 */
export function joinPath(...segments: string[]): string {
  const parts: string[] = [];
  for (const segment of segments) {
    for (const part of segment.split('/')) if (part.length > 0) parts.push(part);
  }
  return '/' + parts.join('/');
}

/**
 * The parent of a path, or `undefined` for the root.
 *
 * @example
 * ```ts
 * parentPath('/a/b'); // '/a'
 * parentPath('/a');   // '/'
 * ```
 */
export function parentPath(path: string): string | undefined {
  if (path === '/') return undefined;
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * The last segment of a path (Curator's `ZKPaths.getNodeFromPath`).
 *
 * @example
 * ```ts
 * nodeName('/a/b/lock-0000000001'); // 'lock-0000000001'
 * ```
 */
export function nodeName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
