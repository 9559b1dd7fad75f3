import { InvalidArgumentError } from './errors.js';
import { validatePath } from './paths.js';

/**
 * One server address of a connect string.
 *
 * @example
 * ```ts
 * const hosts: readonly HostAddress[] = parseConnectString('zk1:2181,zk2:2182').hosts;
 * hosts.map(({ host, port }) => `${host}:${port}`); // ['zk1:2181', 'zk2:2182']
 * ```
 */
export interface HostAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * A parsed connect string.
 *
 * @example
 * ```ts
 * const { hosts, chroot }: ParsedConnectString = parseConnectString('zk1:2181/app');
 * // hosts: [{ host: 'zk1', port: 2181 }], chroot: '/app'
 * ```
 */
export interface ParsedConnectString {
  readonly hosts: readonly HostAddress[];
  /** The chroot without a trailing slash, or `undefined` for none (or `/`). */
  readonly chroot: string | undefined;
}

/**
 * Parses `host:port[,host:port…][/chroot]`, the one connect-string parser of both transports (the native
 * one validates with it before the C client sees the string, so a typo fails typed instead of leaving a
 * handle that never connects). The chroot starts at the first `/` (host names cannot contain one). IPv6
 * hosts are written in brackets: `[::1]:2181`. Every server needs its port, as in the Java client; one
 * trailing comma is tolerated, empty entries and white space are not.
 *
 * @example
 * ```ts
 * parseConnectString('a:2181,b:2182/app'); // { hosts: [{a,2181},{b,2182}], chroot: '/app' }
 * ```
 */
export function parseConnectString(connectString: string): ParsedConnectString {
  if (typeof connectString !== 'string' || connectString.length === 0) {
    throw new InvalidArgumentError('connectString', 'must be a non-empty string');
  }
  const slash = connectString.indexOf('/');
  const hostPart = slash === -1 ? connectString : connectString.slice(0, slash);
  let chroot: string | undefined = slash === -1 ? undefined : connectString.slice(slash);
  if (chroot !== undefined) {
    try {
      validatePath(chroot);
    } catch (cause) {
      throw new InvalidArgumentError('connectString', `invalid chroot ${JSON.stringify(chroot)}`, {
        cause,
      });
    }
    if (chroot === '/') chroot = undefined;
  }
  const hosts: HostAddress[] = [];
  const entries = hostPart.split(',');
  if (entries.length > 1 && entries.at(-1) === '') entries.pop();
  for (const entry of entries) {
    let host: string;
    let portText: string | undefined;
    if (entry.startsWith('[')) {
      const close = entry.indexOf(']');
      if (close === -1)
        throw new InvalidArgumentError(
          'connectString',
          `bad IPv6 address ${JSON.stringify(entry)}`,
        );
      host = entry.slice(1, close);
      const rest = entry.slice(close + 1);
      portText = rest.startsWith(':') ? rest.slice(1) : undefined;
    } else {
      const colon = entry.lastIndexOf(':');
      host = colon === -1 ? entry : entry.slice(0, colon);
      portText = colon === -1 ? undefined : entry.slice(colon + 1);
    }
    const port =
      portText === undefined || !/^\d{1,5}$/.test(portText) ? Number.NaN : Number(portText);
    if (
      host.length === 0 ||
      /[\s,/]/.test(host) ||
      !Number.isInteger(port) ||
      port < 1 ||
      port > 65535
    ) {
      throw new InvalidArgumentError(
        'connectString',
        `bad server address ${JSON.stringify(entry)} (in ${JSON.stringify(connectString)})`,
      );
    }
    hosts.push({ host, port });
  }
  if (hosts.length === 0) throw new InvalidArgumentError('connectString', 'names no server');
  return { hosts, chroot };
}
