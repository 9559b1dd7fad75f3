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

interface ContainerState {
  readonly started: StartedTestContainer;
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
  #network: StartedNetwork | undefined;
  #containers: ContainerState[] = [];

  constructor(options: ResolvedEnsembleOptions) {
    this.#options = options;
    this.#size = options.servers + options.observers;
  }

  get endpoints(): readonly ServerEndpoint[] {
    return this.#endpoints;
  }

  async start(): Promise<void> {
    const tls = this.#options.tls;
    const ports = await allocatePorts(this.#size * (tls === undefined ? 1 : 2));
    this.#network = await new Network().start();
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
      let container = new GenericContainer(this.#options.image)
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
    await Promise.all(starts);
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

  async #dockerode(i: number): Promise<DockerContainer> {
    const client = await getContainerRuntimeClient();
    return client.container.getById(this.#state(i).started.getId());
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
    if (!state.running || state.paused) return;
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
    releasePorts(
      this.#endpoints.flatMap((e) => [
        e.clientPort,
        ...(e.secureClientPort === undefined ? [] : [e.secureClientPort]),
      ]),
    );
    await this.#network?.stop();
    this.#network = undefined;
  }
}
