/**
 * Counts the requests one native handle has in flight, and lets `close()` wait for them to finish.
 *
 * @example
 * ```ts
 * const requests = new InFlightRequests();
 * requests.add(); // handed to the C client
 * requests.complete(); // its callback ran
 * await requests.drain(1000);
 * ```
 */
export class InFlightRequests {
  /** Requests handed to the C client whose callback has not run yet. */
  #count = 0;
  #drainWaiter: (() => void) | undefined;
  /** Called on each completion while a drain waits: re-arms its silence bound. */
  #drainProgress: (() => void) | undefined;

  /** Number of requests whose callback has not run yet. */
  get size(): number {
    return this.#count;
  }

  /** A request was handed to the C client. */
  add(): void {
    this.#count++;
  }

  /** A request's callback ran: a waiting drain ends when it was the last, else it waits on. */
  complete(): void {
    if (--this.#count === 0) this.#drainWaiter?.();
    else this.#drainProgress?.();
  }

  /** The C client refused a request synchronously: its callback will never run. */
  abandon(): void {
    this.#count--;
  }

  /**
   * Resolves once no request is in flight, once no reply has arrived for `idleMs` (counted from this call
   * and re-armed by every completion), or on {@link InFlightRequests.release}, whichever comes first.
   */
  drain(idleMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let idle: ReturnType<typeof setTimeout> | undefined;
      const arm = (): void => {
        clearTimeout(idle);
        idle = setTimeout(finish, idleMs);
      };
      const finish = (): void => {
        clearTimeout(idle);
        this.#drainWaiter = undefined;
        this.#drainProgress = undefined;
        resolve();
      };
      // Bounded by silence, not by the session timeout: a healthy server answers within ms and every
      // answer re-arms the wait, while a hung one would otherwise hold close() for 2/3 of the session
      // timeout (40 s at 60 s) until the C client gives up on the requests.
      arm();
      this.#drainWaiter = finish;
      this.#drainProgress = arm;
    });
  }

  /** Ends a waiting drain at once (the requests will not complete soon, or never). */
  release(): void {
    this.#drainWaiter?.();
  }
}
