import { connect } from 'node:net';

/**
 * Sends a ZooKeeper four-letter word (`srvr`, `ruok`, `cons`, `dump`, `mntr`, ...) and resolves with the
 * whole answer. Rejects on connection errors or when no full answer arrives within `timeoutMs`.
 *
 * @example
 * ```ts
 * const answer = await fourLetterWord('127.0.0.1', 2181, 'srvr');
 * ```
 */
export function fourLetterWord(
  host: string,
  port: number,
  word: string,
  timeoutMs = 2_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`four-letter word ${word} to ${host}:${port}: no answer within ${timeoutMs} ms`),
      );
    }, timeoutMs);
    socket.on('connect', () => socket.end(word));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
    socket.on('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/**
 * What `srvr` says about a server: its mode, or `undefined` when it does not serve requests.
 *
 * @example
 * ```ts
 * const mode: ServerMode | undefined = await serverMode('127.0.0.1', 2181);
 * ```
 */
export type ServerMode = 'standalone' | 'leader' | 'follower' | 'observer' | 'read-only';

/**
 * Asks a server for its mode with `srvr`. Resolves `undefined` when the server answers but does not serve
 * clients (e.g. during leader election) or does not answer at all.
 *
 * @example
 * ```ts
 * if ((await serverMode('127.0.0.1', 2181)) === 'leader') console.log('leader');
 * ```
 */
export async function serverMode(
  host: string,
  port: number,
  timeoutMs = 2_000,
): Promise<ServerMode | undefined> {
  let answer: string;
  try {
    answer = await fourLetterWord(host, port, 'srvr', timeoutMs);
  } catch {
    return undefined;
  }
  const mode = /^Mode: (\S+)/m.exec(answer)?.[1];
  return MODES.find((m) => m === mode);
}

const MODES: readonly ServerMode[] = ['standalone', 'leader', 'follower', 'observer', 'read-only'];
