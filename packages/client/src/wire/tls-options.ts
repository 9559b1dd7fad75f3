import type { ConnectionOptions } from 'node:tls';
import { InvalidArgumentError } from '../errors.js';

/**
 * PEM text or DER/PEM bytes, or a list of them.
 *
 * @example
 * ```ts
 * // Trusting the old and the new CA keeps clients connecting during a CA rotation.
 * const ca: TlsMaterial = [readFileSync('ca-2025.pem'), readFileSync('ca-2026.pem')];
 * ```
 */
export type TlsMaterial = string | Buffer | readonly (string | Buffer)[];

/**
 * TLS settings of the wire transport (a ZooKeeper `secureClientPort`). Everything is in memory; the server's
 * certificate is verified against `ca` (or the system roots) and its host name is checked, unlike the C
 * client. A client certificate is optional: the server asks for one only with `ssl.clientAuth=need`.
 *
 * @example
 * ```ts
 * const tls: WireTlsOptions = { ca: readFileSync('ca.pem'), servername: 'zk.internal' };
 * const client = createZkClient({ transport: 'wire', connectString: 'zk.internal:2281', tls });
 * ```
 */
export interface WireTlsOptions {
  /** Trusted CA certificates (PEM). Default: Node's bundled roots. */
  readonly ca?: TlsMaterial;
  /** Client certificate chain (PEM), for mutual TLS. */
  readonly cert?: TlsMaterial;
  /** Client private key (PEM). */
  readonly key?: TlsMaterial;
  /** PKCS#12 bundle instead of `cert` + `key`. */
  readonly pfx?: Buffer;
  /** Passphrase of `key` or `pfx`. */
  readonly passphrase?: string;
  /** Name to verify the server certificate against (default: the host of the connect string). */
  readonly servername?: string;
  /** Oldest TLS version accepted. Default `TLSv1.2`. */
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list. */
  readonly ciphers?: string;
  /**
   * Turns off certificate and host-name verification. Only for tests against throwaway servers: it makes
   * the connection open to interception.
   */
  readonly insecureSkipVerify?: boolean;
}

/**
 * Turns {@link WireTlsOptions} into `tls.connect` options (verification always on unless explicitly
 * skipped). `true` means TLS with the default trust store.
 *
 * @example
 * ```ts
 * const opts = toTlsConnectionOptions({ ca: readFileSync('ca.pem') });
 * ```
 */
export function toTlsConnectionOptions(
  tls: WireTlsOptions | boolean | undefined,
): ConnectionOptions | undefined {
  if (tls === undefined || tls === false) return undefined;
  if (tls === true) return { minVersion: 'TLSv1.2', rejectUnauthorized: true };
  if (typeof tls !== 'object')
    throw new InvalidArgumentError('tls', 'must be a boolean or an options object');
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new InvalidArgumentError('tls', 'cert and key must be given together');
  }
  const out: ConnectionOptions = {
    minVersion: tls.minVersion ?? 'TLSv1.2',
    rejectUnauthorized: tls.insecureSkipVerify !== true,
  };
  if (tls.ca !== undefined) out.ca = tls.ca as ConnectionOptions['ca'];
  if (tls.cert !== undefined) out.cert = tls.cert as ConnectionOptions['cert'];
  if (tls.key !== undefined) out.key = tls.key as ConnectionOptions['key'];
  if (tls.pfx !== undefined) out.pfx = tls.pfx;
  if (tls.passphrase !== undefined) out.passphrase = tls.passphrase;
  if (tls.servername !== undefined) out.servername = tls.servername;
  if (tls.ciphers !== undefined) out.ciphers = tls.ciphers;
  return out;
}
