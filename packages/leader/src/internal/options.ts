import { networkInterfaces } from 'node:os';

import { InvalidArgumentError, validatePath } from '@zookit/client';
import type { z } from 'zod';

/** Parses `options` with `schema`; the first issue becomes an `InvalidArgumentError` naming its field. */
export function parseOptions<T>(recipe: string, schema: z.ZodType<T>, options: unknown): T {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'options' : issue.path.map(String).join('.');
  throw new InvalidArgumentError(field, `${recipe}: ${issue?.message ?? 'invalid options'}`);
}

/** Checks a recipe path (framework-relative); a bad one throws `InvalidPathError` naming it. */
export function checkRecipePath(path: unknown): string {
  validatePath(path);
  if (path === '/') throw new InvalidArgumentError('path', 'the election path cannot be the root');
  return path;
}

/**
 * Curator's default node data (`CuratorFrameworkFactory.getLocalAddress`): the local IP address as text.
 * The first non-internal IPv4 address, else 127.0.0.1.
 */
export function localAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) return entry.address;
    }
  }
  return '127.0.0.1';
}
