/**
 * Maps client paths to server paths and back for a chroot (`/app`): requests get the prefix, replies and
 * events lose it. A server path outside the chroot (such as `/zookeeper/config`) is returned unchanged
 * rather than mangled (ZOOKEEPER-4565).
 *
 * @example
 * ```ts
 * const c = new Chroot('/app');
 * c.toServer('/a'); // '/app/a'
 * c.toClient('/app/a'); // '/a'
 * ```
 */
export class Chroot {
  /** The chroot, or `undefined` for none. */
  readonly prefix: string | undefined;

  constructor(prefix: string | undefined) {
    this.prefix = prefix === '/' ? undefined : prefix;
  }

  /** Client path → server path. */
  toServer(path: string): string {
    const p = this.prefix;
    if (p === undefined) return path;
    return path === '/' ? p : p + path;
  }

  /** Server path → client path. */
  toClient(path: string): string {
    const p = this.prefix;
    if (p === undefined || !path.startsWith(p)) return path;
    if (path.length === p.length) return '/';
    return path.charCodeAt(p.length) === 47 /* '/' */ ? path.slice(p.length) : path;
  }
}
