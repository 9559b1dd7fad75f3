import { networkInterfaces } from 'node:os';

let cached: string | undefined;

/**
 * Curator writes the framework's default data into lock and lease nodes: the textual local IP address
 * (`InetAddress.getLocalHost().getHostAddress()`). Readers never interpret it; we write the first
 * non-internal IPv4 address the same way, or `127.0.0.1`.
 */
export function defaultNodeData(): string {
  if (cached !== undefined) return cached;
  let found = '127.0.0.1';
  for (const addresses of Object.values(networkInterfaces())) {
    const address = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (address !== undefined) {
      found = address.address;
      break;
    }
  }
  cached = found;
  return found;
}
