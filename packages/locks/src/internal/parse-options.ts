import { InvalidPathError, validatePath } from '@zookit/client';

/** A lock directory: a valid path, not the root (its nodes go under it). */
export function checkLockPath(path: unknown): string {
  validatePath(path);
  if (path === '/') throw new InvalidPathError(path, 'a lock path must not be the root');
  return path;
}
