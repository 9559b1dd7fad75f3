import { ZkError } from '@zookit/client';

/**
 * A lifecycle method was called in the wrong state: `start()` twice, or use after `close()`.
 *
 * @example
 * ```ts
 * await latch.start();
 * await latch.start(); // throws RecipeStateError
 * ```
 */
export class RecipeStateError extends ZkError {
  /** The state the object was in. */
  readonly state: string;

  constructor(state: string, message: string) {
    super('RECIPE_STATE', message);
    this.state = state;
  }
}
