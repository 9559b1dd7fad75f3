import { InvalidArgumentError } from '@zookit/client';
import { expect } from 'vitest';

/** The `field` named by the `InvalidArgumentError` that `fn` throws, or `undefined` if it throws nothing. */
export function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError);
    return (err as InvalidArgumentError).field;
  }
}
