import { RecipeStateError } from '../recipe-state-error.js';
import type { ZkFramework } from '../zk-framework.js';

/**
 * Lifecycle of a recipe.
 *
 * @example
 * ```ts
 * if (lifecycle.state === 'started') doWork();
 * ```
 */
export type RecipeState = 'latent' | 'started' | 'closed';

/**
 * Something to undo on close.
 *
 * @example
 * ```ts
 * const disposer: Disposer = () => subscription.unsubscribe();
 * ```
 */
export type Disposer = () => void | Promise<void>;

/**
 * The latent → started → closed guard every recipe needs, with a close signal that every async step
 * observes, a disposal stack (torn down in reverse order of setup) and Curator's
 * `AfterConnectionEstablished` (`startWhenConnected`).
 *
 * @example
 * ```ts
 * const lifecycle = new RecipeLifecycle('LeaderLatch', (e) => errors.next(e));
 * lifecycle.start();                                  // RecipeStateError if called twice
 * lifecycle.defer(() => subscription.unsubscribe());
 * void lifecycle.startWhenConnected(zk, () => reconciler.start());
 * await lifecycle.close();                            // aborts closeSignal, runs disposers in reverse
 * ```
 */
export class RecipeLifecycle {
  readonly #name: string;
  readonly #onError: (error: unknown) => void;
  readonly #controller = new AbortController();
  readonly #disposers: Disposer[] = [];
  #state: RecipeState = 'latent';
  #closing: Promise<void> | undefined;

  /**
   * @param name - the recipe's name, for error messages.
   * @param onError - receives errors thrown by disposers and by `startWhenConnected` callbacks.
   */
  constructor(name: string, onError: (error: unknown) => void) {
    this.#name = name;
    this.#onError = onError;
  }

  get state(): RecipeState {
    return this.#state;
  }

  /** Aborted when `close()` starts. */
  get closeSignal(): AbortSignal {
    return this.#controller.signal;
  }

  get isStarted(): boolean {
    return this.#state === 'started';
  }

  get isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** latent → started. Throws {@link RecipeStateError} in any other state. */
  start(): void {
    if (this.#state !== 'latent') {
      throw new RecipeStateError(
        this.#state,
        `${this.#name}: cannot start (already ${this.#state})`,
      );
    }
    this.#state = 'started';
  }

  /** Throws {@link RecipeStateError} unless started. */
  assertStarted(operation: string): void {
    if (this.#state !== 'started') {
      throw new RecipeStateError(
        this.#state,
        `${this.#name}: cannot ${operation} while ${this.#state}`,
      );
    }
  }

  /** Registers an undo step. After close it runs at once. */
  defer(disposer: Disposer): void {
    if (this.#state === 'closed') {
      void this.#runDisposer(disposer);
      return;
    }
    this.#disposers.push(disposer);
  }

  /**
   * Runs `fn` once the framework is connected (at once if it is). Never rejects: closing first simply
   * skips `fn`; an error thrown by `fn` goes to `onError`.
   */
  async startWhenConnected(framework: ZkFramework, fn: () => void | Promise<void>): Promise<void> {
    try {
      await framework.waitForConnection({ signal: this.closeSignal });
      if (this.closeSignal.aborted) return;
      await fn();
    } catch (error) {
      if (!this.closeSignal.aborted) this.#onError(error);
    }
  }

  /** Aborts `closeSignal` and runs the disposers in reverse order. Idempotent; disposer errors go to `onError`. */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  async #doClose(): Promise<void> {
    this.#state = 'closed';
    this.#controller.abort(new RecipeStateError('closed', `${this.#name} was closed`));
    while (this.#disposers.length > 0) {
      const disposer = this.#disposers.pop();
      if (disposer !== undefined) await this.#runDisposer(disposer);
    }
  }

  async #runDisposer(disposer: Disposer): Promise<void> {
    try {
      await disposer();
    } catch (error) {
      this.#onError(error);
    }
  }
}
