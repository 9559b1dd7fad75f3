import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commonConfigLines,
  systemProperties,
  type ResolvedEnsembleOptions,
} from './ensemble-options.js';
import type { EnsembleBackend, ServerEndpoint } from './ensemble-backend.js';
import { serverMode } from './four-letter-word.js';
import { allocatePorts, releasePorts } from './ports.js';
import { assertZooKeeperInstalled, ZkServerProcess } from './zk-server-process.js';
import { scaledMs, waitFor } from './timing.js';

const HOST = '127.0.0.1';
const DIR_PREFIX = 'zookit-zk-';

interface ServerPorts {
  readonly client: number;
  readonly quorum: number;
  readonly election: number;
  readonly secure: number | undefined;
}

// A Node process killed with SIGKILL cannot remove its temp dirs; the next run removes the ones whose
// owner (the pid in the name) is gone.
function removeStaleDirs(): void {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(/^zookit-zk-(\d+)-/.exec(entry)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH')
        rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }
}

// Temp dirs of ensembles not closed when Node exits normally (JVMs are killed by zk-server-process).
const openRoots = new Set<string>();
let exitHookInstalled = false;
function trackRoot(root: string): void {
  openRoots.add(root);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const dir of openRoots) rmSync(dir, { recursive: true, force: true });
  });
}

function isBindFailure(log: string): boolean {
  return /Address already in use|BindException/.test(log);
}

/**
 * Local JVMs from Debian's jars, one temp dir per ensemble (`zoo.cfg`, `myid`, data and `server.log` per
 * server), ports on 127.0.0.1 below the kernel's ephemeral range.
 *
 * @example
 * ```ts
 * const backend = new ProcessBackend(resolveEnsembleOptions({ servers: 3 }));
 * await backend.start();
 * ```
 */
export class ProcessBackend implements EnsembleBackend {
  readonly kind = 'process' as const;
  readonly #options: ResolvedEnsembleOptions;
  readonly #size: number;
  #root: string | undefined;
  #ports: ServerPorts[] = [];
  #servers: ZkServerProcess[] = [];
  #closed = false;

  constructor(options: ResolvedEnsembleOptions) {
    this.#options = options;
    this.#size = options.servers + options.observers;
  }

  get endpoints(): readonly ServerEndpoint[] {
    return this.#ports.map((p) => ({
      host: HOST,
      clientPort: p.client,
      secureClientPort: p.secure,
    }));
  }

  async start(): Promise<void> {
    assertZooKeeperInstalled();
    removeStaleDirs();
    this.#root = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
    trackRoot(this.#root);
    // Another process can take a port between the check and the JVM's bind: try again with new ports.
    for (let attempt = 1; ; attempt++) {
      await this.#layOut();
      for (const server of this.#servers) server.start();
      try {
        await Promise.all(this.#servers.map((_, i) => this.#waitServing(i)));
        return;
      } catch (error) {
        const bindFailed = this.#servers.some((s) => isBindFailure(s.logs()));
        await Promise.all(this.#servers.map((s) => s.kill()));
        if (!bindFailed || attempt >= 3 || this.#closed) throw error;
      }
    }
  }

  async #layOut(): Promise<void> {
    const root = this.#root;
    if (root === undefined) throw new Error('not started');
    const perServer = this.#options.tls === undefined ? 3 : 4;
    releasePorts(this.#allPorts());
    const ports = await allocatePorts(this.#size * perServer);
    this.#ports = Array.from({ length: this.#size }, (_, i) => ({
      client: ports[i * perServer] ?? 0,
      quorum: ports[i * perServer + 1] ?? 0,
      election: ports[i * perServer + 2] ?? 0,
      secure: this.#options.tls === undefined ? undefined : ports[i * perServer + 3],
    }));
    const standalone = this.#size === 1;
    const serverLines = standalone
      ? []
      : this.#ports.map((p, i) => {
          const role = i < this.#options.servers ? 'participant' : 'observer';
          return `server.${i + 1}=${HOST}:${p.quorum}:${p.election}:${role}`;
        });
    const jvmArgs = [
      `-Xmx${this.#options.jvmHeapMb}m`,
      '-Xms32m',
      '-Xss512k',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-XX:-UsePerfData',
      '-Djava.net.preferIPv4Stack=true',
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS',
      ...systemProperties(this.#options),
      ...this.#options.jvmArgs,
    ];
    this.#servers = this.#ports.map((p, i) => {
      const dir = join(root, `server-${i + 1}`);
      rmSync(dir, { recursive: true, force: true });
      const dataDir = join(dir, 'data');
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'myid'), `${i + 1}\n`);
      const lines = [
        ...commonConfigLines(this.#options),
        `dataDir=${dataDir}`,
        `clientPort=${p.client}`,
        `clientPortAddress=${HOST}`,
        ...(p.secure === undefined ? [] : [`secureClientPort=${p.secure}`]),
        ...(i >= this.#options.servers ? ['peerType=observer'] : []),
        ...serverLines,
      ];
      const configPath = join(dir, 'zoo.cfg');
      writeFileSync(configPath, `${lines.join('\n')}\n`);
      return new ZkServerProcess({
        name: `zk${i + 1}`,
        configPath,
        logPath: join(dir, 'server.log'),
        jvmArgs,
      });
    });
  }

  #allPorts(): number[] {
    return this.#ports.flatMap((p) => [
      p.client,
      p.quorum,
      p.election,
      ...(p.secure === undefined ? [] : [p.secure]),
    ]);
  }

  #server(i: number): ZkServerProcess {
    const server = this.#servers[i];
    if (server === undefined)
      throw new RangeError(`server index ${i} out of range 0..${this.#size - 1}`);
    return server;
  }

  async #waitServing(i: number): Promise<void> {
    const server = this.#server(i);
    const port = this.#ports[i]?.client ?? 0;
    const timeoutMs = scaledMs(this.#options.startTimeoutMs);
    const outcome = await waitFor(
      async () =>
        server.isRunning ? (await serverMode(HOST, port, 1_000)) !== undefined : 'exited',
      { timeoutMs, intervalMs: 100, message: `zk${i + 1} on ${HOST}:${port} to serve` },
    );
    if (outcome === 'exited') {
      const tail = server.logs().split('\n').slice(-30).join('\n');
      throw new Error(`zk${i + 1} exited (${String(server.exitCode)}) while starting:\n${tail}`);
    }
  }

  stop(i: number): Promise<void> {
    return this.#server(i).stop();
  }

  kill(i: number): Promise<void> {
    return this.#server(i).kill();
  }

  pause(i: number): Promise<void> {
    return this.#server(i).pause();
  }

  resume(i: number): Promise<void> {
    return this.#server(i).resume();
  }

  async restart(i: number): Promise<void> {
    const server = this.#server(i);
    await server.stop();
    server.start();
    await this.#waitServing(i);
  }

  isRunning(i: number): boolean {
    return this.#server(i).isRunning;
  }

  isPaused(i: number): boolean {
    return this.#server(i).isPaused;
  }

  logs(i: number): string {
    return this.#server(i).logs();
  }

  logPath(i: number): string {
    return this.#server(i).spec.logPath;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#servers.map((s) => s.kill()));
    releasePorts(this.#allPorts());
    if (this.#root !== undefined) {
      rmSync(this.#root, { recursive: true, force: true });
      openRoots.delete(this.#root);
    }
    this.#root = undefined;
  }
}
