import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@zookit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerAnswers, dockerEndpoints, selectBackend } from '../src/backend-selection.js';

const never = (): Promise<boolean> => Promise.reject(new Error('the probe must not run'));

describe('selectBackend', () => {
  it('uses an explicit backend option without probing', async () => {
    await expect(
      selectBackend('containers', { env: { ZK_HARNESS: 'process' }, dockerAnswers: never }),
    ).resolves.toBe('containers');
    await expect(selectBackend('process', { env: {}, dockerAnswers: never })).resolves.toBe(
      'process',
    );
  });

  it('lets ZK_HARNESS force a backend without probing', async () => {
    await expect(
      selectBackend(undefined, { env: { ZK_HARNESS: 'process' }, dockerAnswers: never }),
    ).resolves.toBe('process');
    await expect(
      selectBackend(undefined, { env: { ZK_HARNESS: 'containers' }, dockerAnswers: never }),
    ).resolves.toBe('containers');
  });

  it('picks containers only when a Docker engine answers', async () => {
    await expect(
      selectBackend(undefined, { env: {}, dockerAnswers: () => Promise.resolve(true) }),
    ).resolves.toBe('containers');
    await expect(
      selectBackend(undefined, { env: {}, dockerAnswers: () => Promise.resolve(false) }),
    ).resolves.toBe('process');
    await expect(
      selectBackend(undefined, { env: { ZK_HARNESS: '' }, dockerAnswers: never }),
    ).resolves.toBe('process');
  });

  it('rejects unknown backend names with an error naming the field', async () => {
    const bad = selectBackend(undefined, { env: { ZK_HARNESS: 'docker' } });
    await expect(bad).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(bad).rejects.toMatchObject({ field: 'ZK_HARNESS' });
    await expect(selectBackend('vm' as 'process', {})).rejects.toMatchObject({ field: 'backend' });
  });

  it('falls back to processes here, where no Docker engine answers', async () => {
    await expect(selectBackend(undefined, { env: {} })).resolves.toBe('process');
  });
});

describe('dockerEndpoints', () => {
  it('reads DOCKER_HOST as a unix socket or a tcp address', () => {
    expect(dockerEndpoints({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual([
      { socketPath: '/run/user/1000/docker.sock' },
    ]);
    expect(dockerEndpoints({ DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toEqual([
      { host: '10.0.0.5', port: 2376 },
    ]);
    expect(dockerEndpoints({ DOCKER_HOST: 'tcp://docker' })).toEqual([
      { host: 'docker', port: 2375 },
    ]);
    expect(dockerEndpoints({ DOCKER_HOST: 'ssh://somewhere' })).toEqual([]);
  });

  it('lists only the default sockets that exist', () => {
    const seen: string[] = [];
    const found = dockerEndpoints({ XDG_RUNTIME_DIR: '/run/user/7' }, (path) => {
      seen.push(path);
      return path === '/run/user/7/docker.sock';
    });
    expect(seen).toContain('/var/run/docker.sock');
    expect(found).toEqual([{ socketPath: '/run/user/7/docker.sock' }]);
  });
});

describe('dockerAnswers', () => {
  let server: Server | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) =>
      server === undefined ? resolve() : server.close(() => resolve()),
    );
    server = undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    dir = mkdtempSync(join(tmpdir(), 'zookit-docker-probe-'));
    const socketPath = join(dir, 'docker.sock');
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(socketPath, resolve));
    return socketPath;
  }

  it('is true when /_ping answers 200', async () => {
    const paths: (string | undefined)[] = [];
    const socketPath = await listen((req, res) => {
      paths.push(req.url);
      res.end('OK');
    });
    await expect(dockerAnswers(1_000, [{ socketPath }])).resolves.toBe(true);
    expect(paths).toEqual(['/_ping']);
  });

  it('is false for an error status, a silent engine, or no engine at all', async () => {
    const socketPath = await listen((req, res) => {
      if (req.url === '/_ping') res.writeHead(500).end();
    });
    await expect(dockerAnswers(1_000, [{ socketPath }])).resolves.toBe(false);
    await expect(
      dockerAnswers(1_000, [{ socketPath: join(dir ?? '', 'missing.sock') }]),
    ).resolves.toBe(false);
    await expect(dockerAnswers(1_000, [])).resolves.toBe(false);
  });

  it('gives up on an engine that never answers', async () => {
    const socketPath = await listen(() => undefined);
    await expect(dockerAnswers(200, [{ socketPath }])).resolves.toBe(false);
  });
});
