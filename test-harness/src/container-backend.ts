import {
  type ContainerRuntimeClient,
  GenericContainer,
  getContainerRuntimeClient,
  Network,
  type StartedNetwork,
  type StartedTestContainer,
} from 'testcontainers';
import {
  commonConfigLines,
  systemProperties,
  type ResolvedEnsembleOptions,
} from './ensemble-options.js';
import type { EnsembleBackend, ServerEndpoint } from './ensemble-backend.js';
import { serverMode } from './four-letter-word.js';
import { allocatePorts, releasePorts } from './ports.js';
import { scaledMs, waitFor } from './timing.js';

const CLIENT_PORT = 2181;
const SECURE_PORT = 2281;
const TLS_DIR = '/zookit-tls';

type DockerContainer = ReturnType<ContainerRuntimeClient['container']['getById']>;

/**
 * The part of a started testcontainers network the backend uses.
 *
 * @example
 * ```ts
 * const network: NetworkApi = await new Network().start();
 * ```
 */
export type NetworkApi = Pick<StartedNetwork, 'stop'>;

/**
 * The part of a started testcontainers container the backend uses.
 *
 * @example
 * ```ts
 * const started: StartedContainerApi = await new GenericContainer('zookeeper:3.8').start();
 * ```
 */
export interface StartedContainerApi {
  getHost(): string;
  getId(): string;
  stop(...args: Parameters<StartedTestContainer['stop']>): Promise<unknown>;
}

/**
 * The `GenericContainer` builder calls the backend makes, with testcontainers' own parameter types, so a
 * stub implementing this interface stops compiling when the backend's use or testcontainers' API drifts.
 *
 * @example
 * ```ts
 * const request: ContainerRequest = new GenericContainer('zookeeper:3.8');
 * ```
 */
export interface ContainerRequest {
  // Always the network that ContainerApi.startNetwork() returned.
  withNetwork(network: NetworkApi): ContainerRequest;
  withNetworkAliases(...args: Parameters<GenericContainer['withNetworkAliases']>): ContainerRequest;
  withExposedPorts(...args: Parameters<GenericContainer['withExposedPorts']>): ContainerRequest;
  withEnvironment(...args: Parameters<GenericContainer['withEnvironment']>): ContainerRequest;
  withLogConsumer(...args: Parameters<GenericContainer['withLogConsumer']>): ContainerRequest;
  withCopyFilesToContainer(
    ...args: Parameters<GenericContainer['withCopyFilesToContainer']>
  ): ContainerRequest;
  start(): Promise<StartedContainerApi>;
}

/**
 * The Docker (dockerode) container calls the backend makes for stop/kill/pause/resume/restart: the
 * promise forms of dockerode's methods.
 *
 * @example
 * ```ts
 * const docker: DockerContainerApi = (await getContainerRuntimeClient()).container.getById(id);
 * ```
 */
export interface DockerContainerApi {
  start(): Promise<unknown>;
  stop(...args: Parameters<DockerContainer['stop']>): Promise<unknown>;
  kill(...args: Parameters<DockerContainer['kill']>): Promise<unknown>;
  wait(): Promise<unknown>;
  pause(): Promise<unknown>;
  unpause(): Promise<unknown>;
}

/**
 * Everything {@link ContainerBackend} asks of testcontainers. The injection seam for unit tests, which
 * pass a stub; the default, {@link testcontainersApi}, is the real library.
 *
 * @example
 * ```ts
 * const backend = new ContainerBackend(resolveEnsembleOptions(), testcontainersApi);
 * ```
 */
export interface ContainerApi {
  startNetwork(): Promise<NetworkApi>;
  container(image: string): ContainerRequest;
  getContainer(id: string): Promise<DockerContainerApi>;
}

/**
 * The real testcontainers behind {@link ContainerApi}; assigning the library's classes here is what
 * type-checks the seam against testcontainers' own declarations.
 *
 * @example
 * ```ts
 * const network = await testcontainersApi.startNetwork();
 * ```
 */
export const testcontainersApi: ContainerApi = {
  startNetwork: () => new Network().start(),
  container: (image) => new GenericContainer(image),
  getContainer: async (id) => (await getContainerRuntimeClient()).container.getById(id),
};

interface ContainerState {
  readonly started: StartedContainerApi;
  running: boolean;
  paused: boolean;
  readonly log: { text: string };
}

/**
 * The official `zookeeper` image through testcontainers: one container per server on a private network,
 * client ports bound to fixed host ports so they survive `restart(i)`.
 *
 * @example
 * ```ts
 * const backend = new ContainerBackend(resolveEnsembleOptions({ servers: 3 }));
 * await backend.start();
 * ```
 */
export class ContainerBackend implements EnsembleBackend {
  readonly kind = 'containers' as const;
  readonly #options: ResolvedEnsembleOptions;
  readonly #size: number;
  #endpoints: ServerEndpoint[] = [];
  readonly #api: ContainerApi;
  #network: NetworkApi | undefined;
  // Every port reserved by start(), released by close() even when start() failed half-way.
  #ports: number[] = [];
  #containers: ContainerState[] = [];

  /** `api` is testcontainers itself unless a test injects a stub. */
  constructor(options: ResolvedEnsembleOptions, api: ContainerApi = testcontainersApi) {
    this.#options = options;
    this.#api = api;
    this.#size = options.servers + options.observers;
  }

  get endpoints(): readonly ServerEndpoint[] {
    return this.#endpoints;
  }

  async start(): Promise<void> {
    const tls = this.#options.tls;
    const ports = await allocatePorts(this.#size * (tls === undefined ? 1 : 2));
    this.#ports = [...ports];
    this.#network = await this.#api.startNetwork();
    const network = this.#network;
    const alias = (i: number): string => `zk${i + 1}`;
    const serversLine = Array.from({ length: this.#size }, (_, i) => {
      const role = i < this.#options.servers ? 'participant' : 'observer';
      return `server.${i + 1}=${alias(i)}:2888:3888:${role};${CLIENT_PORT}`;
    }).join(' ');
    const jvmFlags = [`-Xmx${this.#options.jvmHeapMb}m`, ...systemProperties(this.#options)].map(
      (flag) =>
        tls === undefined
          ? flag
          : flag.replace(
              /=(.*\/)([^/]+)$/,
              (_, _dir: string, file: string) => `=${TLS_DIR}/${file}`,
            ),
    );
    const starts = Array.from({ length: this.#size }, async (_, i) => {
      const clientHostPort = ports[i] ?? 0;
      const secureHostPort = tls === undefined ? undefined : ports[this.#size + i];
      const extra = [
        ...commonConfigLines(this.#options).filter((line) => !line.startsWith('tickTime=')),
        ...(i >= this.#options.servers ? ['peerType=observer'] : []),
        ...(secureHostPort === undefined ? [] : [`secureClientPort=${SECURE_PORT}`]),
      ];
      const log = { text: '' };
      let container = this.#api
        .container(this.#options.image)
        .withNetwork(network)
        .withNetworkAliases(alias(i))
        .withExposedPorts({ container: CLIENT_PORT, host: clientHostPort })
        .withEnvironment({
          ZOO_MY_ID: String(i + 1),
          ZOO_TICK_TIME: String(this.#options.tickTimeMs),
          ZOO_CFG_EXTRA: extra.join(' '),
          JVMFLAGS: jvmFlags.join(' '),
          ...(this.#size === 1 ? {} : { ZOO_SERVERS: serversLine }),
        })
        .withLogConsumer((stream) => {
          stream.on('data', (chunk: Buffer | string) => {
            log.text += chunk.toString();
          });
        });
      if (tls !== undefined && secureHostPort !== undefined) {
        container = container
          .withExposedPorts({ container: SECURE_PORT, host: secureHostPort })
          .withCopyFilesToContainer(
            [tls.keyStorePath, tls.trustStorePath].map((source) => ({
              source,
              target: `${TLS_DIR}/${source.split('/').pop() ?? ''}`,
            })),
          );
      }
      const state: ContainerState = {
        started: await container.start(),
        running: true,
        paused: false,
        log,
      };
      this.#endpoints[i] = {
        host: state.started.getHost(),
        clientPort: clientHostPort,
        secureClientPort: secureHostPort,
      };
      // Recorded as soon as it runs, so close() after a failed start removes it too.
      this.#containers[i] = state;
    });
    // allSettled, not all: after one container fails the others are still starting, and close() can
    // only remove the ones recorded by then.
    const failed = (await Promise.allSettled(starts)).find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    await Promise.all(this.#containers.map((_, i) => this.#waitServing(i)));
  }

  #state(i: number): ContainerState {
    const state = this.#containers[i];
    if (state === undefined)
      throw new RangeError(`server index ${i} out of range 0..${this.#size - 1}`);
    return state;
  }

  async #waitServing(i: number): Promise<void> {
    const endpoint = this.#endpoints[i];
    if (endpoint === undefined) throw new RangeError(`server index ${i} out of range`);
    await waitFor(
      async () => (await serverMode(endpoint.host, endpoint.clientPort, 1_000)) !== undefined,
      {
        timeoutMs: scaledMs(this.#options.startTimeoutMs),
        intervalMs: 200,
        message: `container zk${i + 1} to serve`,
      },
    );
  }

  async #dockerode(i: number): Promise<DockerContainerApi> {
    return this.#api.getContainer(this.#state(i).started.getId());
  }

  async stop(i: number): Promise<void> {
    const state = this.#state(i);
    if (!state.running) return;
    if (state.paused) await this.resume(i);
    await (await this.#dockerode(i)).stop({ t: 10 });
    state.running = false;
  }

  async kill(i: number): Promise<void> {
    const state = this.#state(i);
    if (!state.running) return;
    await (await this.#dockerode(i)).kill({ signal: 'SIGKILL' });
    await (await this.#dockerode(i)).wait();
    state.running = false;
    state.paused = false;
  }

  async pause(i: number): Promise<void> {
    const state = this.#state(i);
    // Same contract as the process backend: pausing a stopped server is a test bug, not a no-op.
    if (!state.running) throw new Error(`zk${i + 1} is not running`);
    if (state.paused) return;
    await (await this.#dockerode(i)).pause();
    state.paused = true;
  }

  async resume(i: number): Promise<void> {
    const state = this.#state(i);
    if (!state.paused) return;
    await (await this.#dockerode(i)).unpause();
    state.paused = false;
  }

  async restart(i: number): Promise<void> {
    await this.stop(i);
    await (await this.#dockerode(i)).start();
    this.#state(i).running = true;
    await this.#waitServing(i);
  }

  isRunning(i: number): boolean {
    return this.#state(i).running;
  }

  isPaused(i: number): boolean {
    return this.#state(i).paused;
  }

  logs(i: number): string {
    return this.#state(i).log.text;
  }

  logPath(): undefined {
    return undefined;
  }

  async close(): Promise<void> {
    await Promise.all(
      // map() skips the holes left by containers that never started.
      this.#containers.map(async (state, i) => {
        if (state.paused) await this.resume(i);
        await state.started.stop({ timeout: 0 });
      }),
    );
    this.#containers = [];
    releasePorts(this.#ports);
    this.#ports = [];
    await this.#network?.stop();
    this.#network = undefined;
  }
}
