import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@zookit/client';

/**
 * Which backend runs the servers.
 *
 * @example
 * ```ts
 * const kind: BackendKind = await selectBackend(undefined);
 * ```
 */
export type BackendKind = 'process' | 'containers';

/**
 * Where a Docker engine may listen: a unix socket or a TCP address.
 *
 * @example
 * ```ts
 * const endpoint: DockerEndpoint = { socketPath: '/var/run/docker.sock' };
 * ```
 */
export type DockerEndpoint =
  { readonly socketPath: string } | { readonly host: string; readonly port: number };

/**
 * Where to look for a Docker engine: `DOCKER_HOST` if set (unix or tcp), else the usual socket paths
 * that exist on this machine.
 *
 * @example
 * ```ts
 * dockerEndpoints({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }); // [{ host: '127.0.0.1', port: 2375 }]
 * ```
 */
export function dockerEndpoints(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): DockerEndpoint[] {
  const dockerHost = env['DOCKER_HOST'];
  if (dockerHost !== undefined && dockerHost !== '') {
    if (dockerHost.startsWith('unix://'))
      return [{ socketPath: dockerHost.slice('unix://'.length) }];
    const tcp = /^tcp:\/\/([^:/]+)(?::(\d+))?/.exec(dockerHost);
    if (tcp?.[1] !== undefined) return [{ host: tcp[1], port: Number(tcp[2] ?? 2375) }];
    return [];
  }
  const candidates = ['/var/run/docker.sock', join(homedir(), '.docker', 'run', 'docker.sock')];
  const runtimeDir = env['XDG_RUNTIME_DIR'];
  if (runtimeDir !== undefined) candidates.push(join(runtimeDir, 'docker.sock'));
  return candidates.filter((path) => exists(path)).map((socketPath) => ({ socketPath }));
}

function ping(endpoint: DockerEndpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Resolves true when a Docker engine answers `GET /_ping` within `timeoutMs` (quick: no socket, no wait).
 *
 * @example
 * ```ts
 * if (await dockerAnswers()) console.log('containers are possible');
 * ```
 */
export async function dockerAnswers(
  timeoutMs = 1_000,
  endpoints: readonly DockerEndpoint[] = dockerEndpoints(),
): Promise<boolean> {
  const answers = await Promise.all(endpoints.map((endpoint) => ping(endpoint, timeoutMs)));
  return answers.includes(true);
}

/**
 * Chooses the backend: an explicit option wins, then `ZK_HARNESS=process|containers`, then containers
 * only if a Docker engine answers, else local processes.
 *
 * @example
 * ```ts
 * await selectBackend(undefined, { env: { ZK_HARNESS: 'process' } }); // 'process'
 * ```
 */
export async function selectBackend(
  requested: BackendKind | undefined,
  deps: { readonly env?: NodeJS.ProcessEnv; readonly dockerAnswers?: () => Promise<boolean> } = {},
): Promise<BackendKind> {
  if (requested !== undefined) {
    if (requested !== 'process' && requested !== 'containers') {
      throw new InvalidArgumentError(
        'backend',
        `must be 'process' or 'containers', got ${JSON.stringify(requested)}`,
      );
    }
    return requested;
  }
  const forced = (deps.env ?? process.env)['ZK_HARNESS'];
  if (forced !== undefined && forced !== '') {
    if (forced !== 'process' && forced !== 'containers') {
      throw new InvalidArgumentError(
        'ZK_HARNESS',
        `must be 'process' or 'containers', got ${JSON.stringify(forced)}`,
      );
    }
    return forced;
  }
  const probe = deps.dockerAnswers ?? (() => dockerAnswers());
  return (await probe().catch(() => false)) ? 'containers' : 'process';
}
