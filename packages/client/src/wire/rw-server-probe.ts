import { connect, type Socket } from 'node:net';
import type { HostAddress } from '../connect-string.js';

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
const PROBE_TIMEOUT_MS = 1_000;

/**
 * While connected to a read-only server, looks for a read-write one with the `isro` four-letter word,
 * backing off from 100 ms to 60 s between rounds (`ClientCnxn.pingRwServer`). The server answers `rw` or
 * `ro`; only servers with `readonlymode.enabled=true` whitelist the command.
 *
 * @example
 * ```ts
 * const probe = new RwServerProbe(hosts, Math.random, (host) => reconnectTo(host));
 * probe.start(currentHost);
 * ```
 */
export class RwServerProbe {
  private readonly hosts: readonly HostAddress[];
  private readonly random: () => number;
  private readonly onFound: (host: HostAddress) => void;
  private timer: NodeJS.Timeout | undefined;
  private socket: Socket | undefined;
  private delayMs = FIRST_DELAY_MS;
  private generation = 0;

  constructor(
    hosts: readonly HostAddress[],
    random: () => number,
    onFound: (host: HostAddress) => void,
  ) {
    this.hosts = hosts;
    this.random = random;
    this.onFound = onFound;
  }

  /** Starts probing every host except `current`. */
  start(current: HostAddress): void {
    this.stop();
    const others = this.hosts.filter((h) => h !== current);
    if (others.length === 0) return;
    const generation = ++this.generation;
    this.delayMs = FIRST_DELAY_MS;
    const round = async () => {
      for (const host of others) {
        if (generation !== this.generation) return;
        if ((await this.probe(host)) && generation === this.generation) {
          this.stop();
          this.onFound(host);
          return;
        }
      }
      if (generation !== this.generation) return;
      this.delayMs = Math.min(this.delayMs * 2, MAX_DELAY_MS);
      this.schedule(round);
    };
    this.schedule(round);
  }

  private schedule(round: () => Promise<void>): void {
    const delay = this.delayMs * (0.5 + this.random() / 2);
    this.timer = setTimeout(() => void round(), delay);
    this.timer.unref();
  }

  /** Stops probing and drops any probe socket. */
  stop(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.socket?.destroy();
    this.socket = undefined;
  }

  private probe(host: HostAddress): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect({ host: host.host, port: host.port });
      this.socket = socket;
      let answer = '';
      socket.setTimeout(PROBE_TIMEOUT_MS, () => socket.destroy());
      socket.on('connect', () => socket.write('isro'));
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        if (this.socket === socket) this.socket = undefined;
        resolve(answer.trim() === 'rw');
      });
    });
  }
}
