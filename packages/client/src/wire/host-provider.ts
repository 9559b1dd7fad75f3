import type { HostAddress } from '../connect-string.js';

/**
 * Hands out servers round-robin from a list shuffled once (like `StaticHostProvider`), and tells the caller
 * when a whole cycle has been tried so it can back off before the next one.
 *
 * @example
 * ```ts
 * const hosts = new HostProvider([{ host: 'a', port: 2181 }, { host: 'b', port: 2181 }]);
 * const { host, port } = hosts.next();
 * ```
 */
export class HostProvider {
  private readonly hosts: readonly HostAddress[];
  private index = -1;
  private triedInCycle = 0;

  /**
   * @param hosts - the servers.
   * @param shuffle - shuffle once (default); false keeps the listed order (tests).
   * @param random - source of randomness in [0, 1), injectable for tests.
   */
  constructor(hosts: readonly HostAddress[], shuffle = true, random: () => number = Math.random) {
    const list = [...hosts];
    if (shuffle) {
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const a = list[i];
        const b = list[j];
        if (a !== undefined && b !== undefined) {
          list[i] = b;
          list[j] = a;
        }
      }
    }
    this.hosts = list;
  }

  /** Number of servers. */
  get size(): number {
    return this.hosts.length;
  }

  /** The servers in the order they are tried. */
  get order(): readonly HostAddress[] {
    return this.hosts;
  }

  /** The next server to try. */
  next(): HostAddress {
    this.index = (this.index + 1) % this.hosts.length;
    this.triedInCycle++;
    const host = this.hosts[this.index];
    if (host === undefined) throw new Error('HostProvider: empty host list');
    return host;
  }

  /** True when every server has been tried since the last {@link onConnected} or cycle start. */
  get cycleComplete(): boolean {
    return this.triedInCycle >= this.hosts.length;
  }

  /** Starts a new cycle (after a backoff). */
  startCycle(): void {
    this.triedInCycle = 0;
  }

  /** A connection succeeded: the next failure starts a fresh cycle from the following server. */
  onConnected(): void {
    this.triedInCycle = 0;
  }
}
