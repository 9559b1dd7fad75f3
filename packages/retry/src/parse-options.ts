import { InvalidArgumentError } from '@zookit/client';
import type { z } from 'zod';

/**
 * Parses options with a zod schema and turns the first issue into an {@link InvalidArgumentError} that
 * names the offending field, so bad options fail at construction with a typed error.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  owner: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field =
    issue === undefined || issue.path.length === 0 ? 'options' : issue.path.map(String).join('.');
  throw new InvalidArgumentError(field, `${owner}: ${issue?.message ?? 'invalid options'}`);
}
