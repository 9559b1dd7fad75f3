import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ZkTlsOptions } from './ensemble-options.js';

/**
 * A throwaway PKI for TLS tests: a CA, a server certificate valid only for {@link TestPki.serverName}, and
 * the PKCS#12 key and trust stores a ZooKeeper server reads.
 *
 * @example
 * ```ts
 * const pki = createTestPki();
 * await using zk = await ZkEnsemble.start({ tls: pki.serverTls });
 * const client = createZkClient({ transport: 'wire', connectString: zk.secureConnectString ?? '', tls: { ca: pki.caPem, servername: pki.serverName } });
 * ```
 */
export interface TestPki {
  /** Temp dir holding every file; removed by {@link TestPki.remove}. */
  readonly dir: string;
  /** CA certificate (PEM) that signed the server certificate. */
  readonly caPem: Buffer;
  /** The only name the server certificate is valid for (`zk.test`), so host-name checks are exercised. */
  readonly serverName: string;
  readonly keyStorePath: string;
  readonly trustStorePath: string;
  readonly password: string;
  /** The stores as `ZkEnsemble`'s `tls` option (client certificates not required). */
  readonly serverTls: ZkTlsOptions;
  /** Deletes {@link TestPki.dir}. Idempotent. */
  remove(): void;
}

/**
 * Builds a {@link TestPki} with `openssl` and `keytool` in a fresh temp dir (EC P-256, valid 2 days).
 *
 * @example
 * ```ts
 * const pki = createTestPki();
 * try {
 *   // ... start a TLS server with pki.serverTls
 * } finally {
 *   pki.remove();
 * }
 * ```
 */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'zookit-test-pki-'));
  const run = (cmd: string, args: string[]): void => {
    execFileSync(cmd, args, { cwd: dir, stdio: 'pipe' });
  };
  const password = 'zookit-secret';
  const serverName = 'zk.test';
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    run('openssl', [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=zookit test CA',
    ]);
    run('openssl', [
      'req',
      ...ec,
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      `/CN=${serverName}`,
    ]);
    writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=DNS:${serverName}\n`);
    run('openssl', [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    ]);
    run('openssl', [
      'pkcs12',
      '-export',
      '-in',
      'server.pem',
      '-inkey',
      'server.key',
      '-certfile',
      'ca.pem',
      '-out',
      'keystore.p12',
      '-passout',
      `pass:${password}`,
      '-name',
      'server',
    ]);
    run('keytool', [
      '-importcert',
      '-noprompt',
      '-alias',
      'ca',
      '-file',
      'ca.pem',
      '-keystore',
      'truststore.p12',
      '-storetype',
      'PKCS12',
      '-storepass',
      password,
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const keyStorePath = join(dir, 'keystore.p12');
  const trustStorePath = join(dir, 'truststore.p12');
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.pem')),
    serverName,
    keyStorePath,
    trustStorePath,
    password,
    serverTls: {
      keyStorePath,
      keyStorePassword: password,
      trustStorePath,
      trustStorePassword: password,
      clientAuth: 'none',
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
