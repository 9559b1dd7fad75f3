import { InvalidArgumentError, validatePath } from '@zookit/client';
import { bytesCodec } from '@zookit/framework';
import type { Codec } from '@zookit/framework';
import { z } from 'zod';

const codecSchema = z.custom<Codec<unknown>>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Codec<unknown>).decode === 'function' &&
    typeof (v as Codec<unknown>).encode === 'function',
  'must be a Codec (bytesCodec, utf8Codec, jsonCodec(schema), or { name, encode, decode })',
);

const schema = z.strictObject({
  codec: codecSchema.optional(),
  maxDepth: z.number().int().min(0).optional(),
});

/** Parsed options of a cache view. */
export interface ParsedCacheOptions<T> {
  readonly codec: Codec<T>;
  /** Unlimited when not given. */
  readonly maxDepth: number;
}

/**
 * Validates a view's path and options once, in its constructor. A bad path throws `InvalidPathError`; a
 * bad or unknown option field throws `InvalidArgumentError` naming it.
 *
 * @example
 * ```ts
 * const { codec, maxDepth } = parseCacheOptions('TreeCache', '/a', { maxDepth: 2 }, ['codec', 'maxDepth']);
 * ```
 */
export function parseCacheOptions<T>(
  view: string,
  path: unknown,
  options: unknown,
  allowed: readonly ('codec' | 'maxDepth')[],
): ParsedCacheOptions<T> {
  validatePath(path);
  const result = schema.safeParse(options ?? {});
  const extra =
    result.success && typeof options === 'object' && options !== null
      ? Object.keys(options).find((k) => !(allowed as readonly string[]).includes(k))
      : undefined;
  if (!result.success || extra !== undefined) {
    const issue = result.success ? undefined : result.error.issues[0];
    const field =
      extra ??
      (issue === undefined
        ? 'options'
        : issue.code === 'unrecognized_keys'
          ? issue.keys.join(', ')
          : issue.path.length === 0
            ? 'options'
            : issue.path.map(String).join('.'));
    const message =
      extra !== undefined ? `is not an option of ${view}` : (issue?.message ?? 'invalid options');
    throw new InvalidArgumentError(field, `${view}: ${message}`);
  }
  return {
    codec: (result.data.codec ?? bytesCodec) as Codec<T>,
    maxDepth: result.data.maxDepth ?? Number.POSITIVE_INFINITY,
  };
}
