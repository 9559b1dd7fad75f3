import { InvalidArgumentError } from '@zookit/client';
import type { z } from 'zod';

/**
 * The field a zod issue is about, dotted (`a.b`); for an unknown key of a strict object, that key, so a
 * misspelt option (`maxRetry`) is named in the error rather than its parent.
 *
 * @example
 * ```ts
 * const issue = schema.safeParse({ maxRetry: 3 }).error?.issues[0];
 * issueField(issue); // 'maxRetry'
 * ```
 */
export function issueField(issue: z.core.$ZodIssue | undefined, fallback = 'options'): string {
  if (issue === undefined) return fallback;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  return path.length === 0 ? fallback : path.join('.');
}

/**
 * Parses options with a zod schema and turns the first issue into an {@link InvalidArgumentError} that
 * names the offending field, so bad options fail at construction with a typed error.
 *
 * @example
 * ```ts
 * const parsed = parseOptions(schema, options, 'RetryNTimes');
 * ```
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  owner: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidArgumentError(
    issueField(issue),
    `${owner}: ${issue?.message ?? 'invalid options'}`,
  );
}
