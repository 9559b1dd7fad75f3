import { networkInterfaces } from 'node:os';

import { InvalidArgumentError } from '@zookit/client';
import type { z } from 'zod';

/**
 * Parses a recipe's options once with its zod schema (ARCHITECTURE §6); the first issue becomes an
 * `InvalidArgumentError` naming its field (`options` when the whole value is wrong).
 *
 * @example
 * ```ts
 * const parsed = parseRecipeOptions('LeaderLatch', z.strictObject({ id: z.string().default('') }), options);
 * ```
 */
export function parseRecipeOptions<S extends z.ZodType>(
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

let cachedAddress: string | undefined;

/**
 * Curator's default node data (`CuratorFrameworkFactory.getLocalAddress`), which its latches, locks and
 * leases write: the local IP address as text. The first non-internal IPv4 address, else `127.0.0.1`.
 *
 * @example
 * ```ts
 * const id = options.id ?? localAddress();
 * ```
 */
export function localAddress(): string {
  if (cachedAddress !== undefined) return cachedAddress;
  let found = '127.0.0.1';
  for (const addresses of Object.values(networkInterfaces())) {
    const address = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (address !== undefined) {
      found = address.address;
      break;
    }
  }
  cachedAddress = found;
  return found;
}
