import { InvalidArgumentError, InvalidPathError, validatePath } from '@zookit/client';
import type { z } from 'zod';

/** Parses a recipe's options once; a bad field throws `InvalidArgumentError` naming it. */
export function parseOptions<S extends z.ZodType>(
  recipe: string,
  schema: S,
  options: unknown,
): z.output<S> {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field =
    issue === undefined || issue.path.length === 0 ? 'options' : issue.path.map(String).join('.');
  throw new InvalidArgumentError(field, `${recipe}: ${issue?.message ?? 'invalid options'}`);
}

/** A lock directory: a valid path, not the root (its nodes go under it). */
export function checkLockPath(path: unknown): string {
  validatePath(path);
  if (path === '/') throw new InvalidPathError(path, 'a lock path must not be the root');
  return path;
}
