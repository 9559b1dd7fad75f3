import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { StoppedNetwork } from 'testcontainers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ContainerBackend,
  type ContainerApi,
  type ContainerRequest,
  type DockerContainerApi,
  type NetworkApi,
  type StartedContainerApi,
} from '../src/container-backend.js';
import { resolveEnsembleOptions, type ZkEnsembleOptions } from '../src/ensemble-options.js';
import { serverMode } from '../src/four-letter-word.js';
import { scaledMs } from '../src/timing.js';

// ContainerBackend only runs where a Docker engine answers, which is neither here nor in CI. These tests
// drive it through its ContainerApi seam against a stub of testcontainers. The stub implements the seam's
// interfaces, whose signatures are testcontainers' own (see container-backend.ts), so it stops compiling
// when the backend's use of testcontainers drifts. Each stub container answers the four-letter word `srvr`
// on its bound host port, standing in for the ZooKeeper inside, because the backend waits for that.

type ExposedPort = Parameters<ContainerRequest['withExposedPorts']>[number];
type Environment = Parameters<ContainerRequest['withEnvironment']>[0];
type FileToCopy = Parameters<ContainerRequest['withCopyFilesToContainer']>[0][number];
type LogConsumer = Parameters<ContainerRequest['withLogConsumer']>[0];

const HOST = '127.0.0.1';

class StubNetwork implements NetworkApi {
  stops = 0;

  stop(): Promise<StoppedNetwork> {
    this.stops++;
    return Promise.resolve(new StoppedNetwork());
  }
}

/** One simulated container: its state and the `srvr` responder bound to its client host port. */
class StubContainer {
  readonly alias: string;
  readonly request: StubRequest;
  state: 'running' | 'paused' | 'exited' | 'removed' = 'running';
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #log = new PassThrough();
  readonly #port: number;

  constructor(request: StubRequest, port: number) {
    this.request = request;
    this.alias = request.aliases[0] ?? '?';
    this.#port = port;
    this.#server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      // A frozen JVM answers nothing; destroying keeps the test from waiting out the 4lw timeout.
      if (this.state !== 'running') return void socket.destroy();
      socket.once('data', () => socket.end(this.#srvrAnswer()));
    });
  }

  get id(): string {
    return `stub-${this.alias}`;
  }

  #srvrAnswer(): string {
    if (this.request.api.serving === false)
      return 'This ZooKeeper instance is not currently serving requests\n';
    const env = this.request.env;
    const size = env['ZOO_SERVERS']?.split(' ').length ?? 1;
    const mode =
      size === 1 ? 'standalone' : env['ZOO_MY_ID'] === String(size) ? 'leader' : 'follower';
    return `Zookeeper version: 3.8.4-stub\nOutstanding: 0\nZxid: 0x0\nMode: ${mode}\nNode count: 5\n`;
  }

  async run(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen({ port: this.#port, host: HOST, exclusive: true }, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.state = 'running';
    this.#log.write(`Starting ZooKeeper, myid=${this.request.env['ZOO_MY_ID'] ?? '?'}\n`);
  }

  async exit(): Promise<void> {
    this.state = 'exited';
    for (const socket of this.#sockets) socket.destroy();
    if (this.#server.listening)
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  attachLog(consumer: LogConsumer): void {
    void consumer(this.#log);
  }

  endLog(): void {
    this.#log.end();
  }
}

class StubRequest implements ContainerRequest {
  readonly api: StubApi;
  readonly image: string;
  network: NetworkApi | undefined;
  aliases: string[] = [];
  ports: ExposedPort[] = [];
  env: Environment = {};
  files: FileToCopy[] = [];
  logConsumer: LogConsumer | undefined;

  constructor(api: StubApi, image: string) {
    this.api = api;
    this.image = image;
  }

  withNetwork(network: NetworkApi): this {
    this.network = network;
    return this;
  }

  withNetworkAliases(...aliases: string[]): this {
    this.aliases.push(...aliases);
    return this;
  }

  withExposedPorts(...ports: ExposedPort[]): this {
    this.ports.push(...ports);
    return this;
  }

  withEnvironment(env: Environment): this {
    this.env = { ...this.env, ...env };
    return this;
  }

  withLogConsumer(consumer: LogConsumer): this {
    this.logConsumer = consumer;
    return this;
  }

  withCopyFilesToContainer(files: FileToCopy[]): this {
    this.files.push(...files);
    return this;
  }

  /** The host port bound to `containerPort`, as testcontainers would bind it. */
  hostPort(containerPort: number): number | undefined {
    for (const port of this.ports) {
      if (typeof port === 'object' && port.container === containerPort) return port.host;
    }
    return undefined;
  }

  async start(): Promise<StartedContainerApi> {
    const alias = this.aliases[0] ?? '?';
    await this.api.beforeStart(alias);
    const port = this.hostPort(2181);
    if (port === undefined) throw new Error(`${alias}: client port 2181 not exposed`);
    const container = new StubContainer(this, port);
    this.api.containers.set(container.id, container);
    if (this.logConsumer !== undefined) container.attachLog(this.logConsumer);
    await container.run();
    const ops = this.api.ops;
    return {
      getHost: () => HOST,
      getId: () => container.id,
      stop: async (options) => {
        ops.push(`${alias} remove ${JSON.stringify(options ?? {})}`);
        await container.exit();
        container.state = 'removed';
        container.endLog();
      },
    };
  }
}

/** testcontainers as ContainerBackend sees it; records every Docker operation in `ops`. */
class StubApi implements ContainerApi {
  readonly networks: StubNetwork[] = [];
  readonly requests: StubRequest[] = [];
  readonly containers = new Map<string, StubContainer>();
  readonly ops: string[] = [];
  /** Runs before each container starts; a rejection is that container's start failure. */
  beforeStart: (alias: string) => Promise<void> = () => Promise.resolve();
  networkFailure: Error | undefined;
  dockerFailure: Error | undefined;
  /** False: every server answers `srvr` like one that has not joined a quorum. */
  serving = true;

  startNetwork(): Promise<NetworkApi> {
    if (this.networkFailure !== undefined) return Promise.reject(this.networkFailure);
    const network = new StubNetwork();
    this.networks.push(network);
    return Promise.resolve(network);
  }

  container(image: string): ContainerRequest {
    const request = new StubRequest(this, image);
    this.requests.push(request);
    return request;
  }

  getContainer(id: string): Promise<DockerContainerApi> {
    const container = this.containers.get(id);
    if (container === undefined) return Promise.reject(new Error(`no such container: ${id}`));
    const op = async (name: string, change: () => Promise<void> | void): Promise<void> => {
      this.ops.push(`${container.alias} ${name}`);
      if (this.dockerFailure !== undefined) throw this.dockerFailure;
      await change();
    };
    return Promise.resolve({
      start: () => op('start', () => container.run()),
      stop: (options) => op(`stop ${JSON.stringify(options ?? {})}`, () => container.exit()),
      kill: (options) => op(`kill ${JSON.stringify(options ?? {})}`, () => container.exit()),
      wait: () => op('wait', () => undefined),
      pause: () =>
        op('pause', () => {
          container.state = 'paused';
        }),
      unpause: () =>
        op('unpause', () => {
          container.state = 'running';
        }),
    });
  }

  request(alias: string): StubRequest {
    const request = this.requests.find((r) => r.aliases.includes(alias));
    if (request === undefined) throw new Error(`no request for ${alias}`);
    return request;
  }

  takeOps(): string[] {
    return this.ops.splice(0);
  }
}

const backends: ContainerBackend[] = [];
const apis: StubApi[] = [];

function backendWith(options: ZkEnsembleOptions): { backend: ContainerBackend; api: StubApi } {
  const api = new StubApi();
  const backend = new ContainerBackend(resolveEnsembleOptions(options), api);
  backends.push(backend);
  apis.push(api);
  return { backend, api };
}

const portLock = (port: number): string => join(tmpdir(), 'zookit-ports', String(port));

afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
  for (const api of apis.splice(0)) {
    for (const container of api.containers.values()) await container.exit();
  }
});

describe('ContainerBackend against stubbed testcontainers', () => {
  it('gives every server its own container on one private network, with the image’s config', async () => {
    const { backend, api } = backendWith({
      servers: 3,
      observers: 1,
      tickTimeMs: 200,
      jvmHeapMb: 96,
      image: 'zookeeper:3.9.3',
      extraConfig: ['snapCount=1000'],
    });
    await backend.start();

    expect(api.networks).toHaveLength(1);
    expect(api.requests.map((r) => r.image)).toEqual(Array(4).fill('zookeeper:3.9.3'));
    expect(api.requests.map((r) => r.aliases)).toEqual([['zk1'], ['zk2'], ['zk3'], ['zk4']]);
    const serversLine = [
      'server.1=zk1:2888:3888:participant;2181',
      'server.2=zk2:2888:3888:participant;2181',
      'server.3=zk3:2888:3888:participant;2181',
      'server.4=zk4:2888:3888:observer;2181',
    ].join(' ');
    for (const [i, request] of api.requests.entries()) {
      expect(request.network).toBe(api.networks[0]);
      expect(request.env).toMatchObject({
        ZOO_MY_ID: String(i + 1),
        ZOO_TICK_TIME: '200',
        ZOO_SERVERS: serversLine,
      });
      const extra = (request.env['ZOO_CFG_EXTRA'] ?? '').split(' ');
      expect(extra).toEqual(
        expect.arrayContaining([
          'initLimit=20',
          'syncLimit=5',
          'minSessionTimeout=400',
          'maxSessionTimeout=60000',
          'maxClientCnxns=0',
          '4lw.commands.whitelist=*',
          'snapCount=1000',
        ]),
      );
      // The image writes tickTime from ZOO_TICK_TIME; a second line would be a duplicate key.
      expect(extra.filter((line) => line.startsWith('tickTime='))).toEqual([]);
      expect(extra.includes('peerType=observer')).toBe(i === 3);
      expect(extra.some((line) => line.startsWith('secureClientPort='))).toBe(false);
      const jvmFlags = (request.env['JVMFLAGS'] ?? '').split(' ');
      expect(jvmFlags[0]).toBe('-Xmx96m');
      expect(jvmFlags).toEqual(
        expect.arrayContaining([
          '-Dzookeeper.extendedTypesEnabled=true',
          '-Dznode.container.checkIntervalMs=1000',
          '-Dzookeeper.forceSync=no',
        ]),
      );
      expect(request.files).toEqual([]);
      // Only the client port is published, bound to a fixed host port so it survives restart(i).
      expect(request.ports).toEqual([{ container: 2181, host: backend.endpoints[i]?.clientPort }]);
    }

    const clientPorts = backend.endpoints.map((e) => e.clientPort);
    expect(new Set(clientPorts).size).toBe(4);
    for (const port of clientPorts) {
      expect(port).toBeGreaterThan(0);
      expect(port).not.toBe(2181);
    }
    expect(
      backend.endpoints.every((e) => e.host === HOST && e.secureClientPort === undefined),
    ).toBe(true);
    // ZkEnsemble.connectString joins the endpoints: host ports of the containers, in myid order.
    const connectString = backend.endpoints.map((e) => `${e.host}:${e.clientPort}`).join(',');
    expect(connectString).toBe(clientPorts.map((port) => `${HOST}:${port}`).join(','));
    expect(await serverMode(HOST, clientPorts[3] ?? 0)).toBe('leader');

    expect(backend.kind).toBe('containers');
    expect(backend.logPath()).toBeUndefined();
    await vi.waitFor(() => expect(backend.logs(1)).toContain('Starting ZooKeeper, myid=2'), {
      timeout: scaledMs(10_000),
    });
    expect([0, 1, 2, 3].map((i) => backend.isRunning(i))).toEqual([true, true, true, true]);
    expect(api.takeOps()).toEqual([]);
  });

  it('runs a single server standalone: no ZOO_SERVERS', async () => {
    const { backend, api } = backendWith({ servers: 1 });
    await backend.start();
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.image).toBe(`zookeeper:${process.env['ZK_VERSION'] ?? '3.8'}`);
    expect(api.requests[0]?.env).not.toHaveProperty('ZOO_SERVERS');
    expect(api.requests[0]?.env).toMatchObject({ ZOO_MY_ID: '1', ZOO_TICK_TIME: '500' });
    expect(api.requests[0]?.env['JVMFLAGS']?.split(' ')[0]).toBe('-Xmx128m');
  });

  it('publishes the TLS port and copies the stores into the container, pointing the JVM at the copies', async () => {
    const { backend, api } = backendWith({
      servers: 1,
      tls: {
        keyStorePath: '/tmp/pki-x/server.p12',
        keyStorePassword: 'kp',
        trustStorePath: '/tmp/pki-x/trust.p12',
        trustStorePassword: 'tp',
        clientAuth: 'need',
      },
    });
    await backend.start();
    const request = api.request('zk1');
    const endpoint = backend.endpoints[0];
    expect(endpoint?.secureClientPort).toBeGreaterThan(0);
    expect(endpoint?.secureClientPort).not.toBe(endpoint?.clientPort);
    expect(request.ports).toEqual([
      { container: 2181, host: endpoint?.clientPort },
      { container: 2281, host: endpoint?.secureClientPort },
    ]);
    expect(request.files).toEqual([
      { source: '/tmp/pki-x/server.p12', target: '/zookit-tls/server.p12' },
      { source: '/tmp/pki-x/trust.p12', target: '/zookit-tls/trust.p12' },
    ]);
    expect(request.env['ZOO_CFG_EXTRA']?.split(' ')).toContain('secureClientPort=2281');
    const jvmFlags = request.env['JVMFLAGS']?.split(' ') ?? [];
    expect(jvmFlags).toEqual(
      expect.arrayContaining([
        '-Dzookeeper.serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
        '-Dzookeeper.ssl.keyStore.location=/zookit-tls/server.p12',
        '-Dzookeeper.ssl.trustStore.location=/zookit-tls/trust.p12',
        '-Dzookeeper.ssl.keyStore.password=kp',
        '-Dzookeeper.ssl.clientAuth=need',
      ]),
    );
    expect(jvmFlags.some((flag) => flag.includes('/tmp/pki-x'))).toBe(false);
  });

  it('maps pause/resume/stop/kill/restart onto Docker operations on the same container', async () => {
    const { backend, api } = backendWith({ servers: 1 });
    await backend.start();
    const port = backend.endpoints[0]?.clientPort ?? 0;

    await backend.pause(0);
    expect(api.takeOps()).toEqual(['zk1 pause']);
    expect([backend.isRunning(0), backend.isPaused(0)]).toEqual([true, true]);
    await backend.pause(0);
    expect(api.takeOps()).toEqual([]);
    await backend.resume(0);
    await backend.resume(0);
    expect(api.takeOps()).toEqual(['zk1 unpause']);
    expect(backend.isPaused(0)).toBe(false);

    // A graceful stop gets 10 s before Docker kills; a paused container is thawed first.
    await backend.pause(0);
    await backend.stop(0);
    expect(api.takeOps()).toEqual(['zk1 pause', 'zk1 unpause', 'zk1 stop {"t":10}']);
    expect([backend.isRunning(0), backend.isPaused(0)]).toEqual([false, false]);
    expect(await serverMode(HOST, port, 1_000)).toBeUndefined();
    await backend.stop(0);
    await backend.kill(0);
    await backend.resume(0);
    // As on the process backend, pausing a stopped server is refused rather than ignored.
    await expect(backend.pause(0)).rejects.toThrow('zk1 is not running');
    expect(api.takeOps()).toEqual([]);

    // restart() starts the stopped container again, so its /data survives, and waits until it serves.
    await backend.restart(0);
    expect(api.takeOps()).toEqual(['zk1 start']);
    expect(backend.isRunning(0)).toBe(true);
    expect(await serverMode(HOST, port)).toBe('standalone');
    await backend.restart(0);
    expect(api.takeOps()).toEqual(['zk1 stop {"t":10}', 'zk1 start']);
    expect(api.requests).toHaveLength(1);
    expect(api.containers.size).toBe(1);

    // kill() waits for the container to exit, and ends a pause.
    await backend.pause(0);
    await backend.kill(0);
    expect(api.takeOps()).toEqual(['zk1 pause', 'zk1 kill {"signal":"SIGKILL"}', 'zk1 wait']);
    expect([backend.isRunning(0), backend.isPaused(0)]).toEqual([false, false]);
    await backend.restart(0);
    expect(api.takeOps()).toEqual(['zk1 start']);
    expect(backend.endpoints[0]?.clientPort).toBe(port);
  });

  it('close() thaws and removes every container, stops the network and releases the ports', async () => {
    const { backend, api } = backendWith({ servers: 3 });
    await backend.start();
    const ports = backend.endpoints.map((e) => e.clientPort);
    expect(ports.every((port) => existsSync(portLock(port)))).toBe(true);
    await backend.pause(1);
    await backend.stop(2);
    api.takeOps();

    await backend.close();
    expect(api.takeOps().sort()).toEqual([
      'zk1 remove {"timeout":0}',
      'zk2 remove {"timeout":0}',
      'zk2 unpause',
      'zk3 remove {"timeout":0}',
    ]);
    expect([...api.containers.values()].map((c) => c.state)).toEqual([
      'removed',
      'removed',
      'removed',
    ]);
    expect(api.networks[0]?.stops).toBe(1);
    expect(ports.some((port) => existsSync(portLock(port)))).toBe(false);
    expect(() => backend.isRunning(0)).toThrow(RangeError);
  });

  it('rejects server indexes out of range with a RangeError naming the range', async () => {
    const { backend } = backendWith({ servers: 3 });
    await backend.start();
    await expect(backend.stop(3)).rejects.toThrow(/server index 3 out of range 0\.\.2/);
    await expect(backend.kill(-1)).rejects.toThrow(RangeError);
    await expect(backend.restart(7)).rejects.toThrow(RangeError);
    expect(() => backend.isPaused(3)).toThrow(/server index 3 out of range/);
    expect(() => backend.logs(9)).toThrow(RangeError);
  });

  it('a container that fails to start fails start(); close() then removes the ones that did start', async () => {
    const { backend, api } = backendWith({ servers: 3 });
    // zk2 fails at once, while zk1 and zk3 are still starting: start() must wait for them to settle,
    // or close() could not know them and they would keep running.
    api.beforeStart = (alias) =>
      alias === 'zk2' ? Promise.reject(new Error('image pull failed')) : Promise.resolve();
    await expect(backend.start()).rejects.toThrow('image pull failed');
    await backend.close();
    const ops = api.takeOps().sort();
    expect(ops).toEqual(
      [...api.containers.values()].map((c) => `${c.alias} remove {"timeout":0}`).sort(),
    );
    expect(ops.some((op) => op.startsWith('zk2'))).toBe(false);
    expect([...api.containers.values()].every((c) => c.state === 'removed')).toBe(true);
    expect(api.networks[0]?.stops).toBe(1);
  });

  it('start() times out naming the container when a server never serves', async () => {
    const { backend, api } = backendWith({ servers: 1, startTimeoutMs: 300 });
    api.serving = false;
    await expect(backend.start()).rejects.toThrow(/waiting for container zk1 to serve/);
    await backend.close();
    expect(api.takeOps()).toEqual(['zk1 remove {"timeout":0}']);
  });

  it('a network that cannot be created fails start() before any container is asked for', async () => {
    const { backend, api } = backendWith({ servers: 3 });
    api.networkFailure = new Error('network create: permission denied');
    await expect(backend.start()).rejects.toThrow('permission denied');
    expect(api.requests).toEqual([]);
    await backend.close();
    expect(api.takeOps()).toEqual([]);
  });

  it('a failed Docker operation rejects and leaves the recorded state unchanged', async () => {
    const { backend, api } = backendWith({ servers: 1 });
    await backend.start();
    api.dockerFailure = new Error('docker: 500 server error');
    await expect(backend.pause(0)).rejects.toThrow('500 server error');
    expect(backend.isPaused(0)).toBe(false);
    await expect(backend.stop(0)).rejects.toThrow('500 server error');
    await expect(backend.kill(0)).rejects.toThrow('500 server error');
    expect(backend.isRunning(0)).toBe(true);
    api.dockerFailure = undefined;
  });
});
