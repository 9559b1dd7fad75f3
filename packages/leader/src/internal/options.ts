import { InvalidArgumentError, validatePath } from '@zookit/client';

/** Checks a recipe path (framework-relative); a bad one throws `InvalidPathError` naming it. */
export function checkRecipePath(path: unknown): string {
  validatePath(path);
  if (path === '/') throw new InvalidArgumentError('path', 'the election path cannot be the root');
  return path;
}
