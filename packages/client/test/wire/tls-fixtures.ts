// A throwaway PKI for the TLS tests: a CA, a server certificate valid only for the name `zk.test`, and the
// PKCS#12 key and trust stores the ZooKeeper server reads. Built with openssl and keytool in a temp dir.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  readonly dir: string;
  /** CA certificate (PEM) that signed the server certificate. */
  readonly caPem: Buffer;
  /** The only name the server certificate is valid for. */
  readonly serverName: string;
  readonly keyStorePath: string;
  readonly trustStorePath: string;
  readonly password: string;
  remove(): void;
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'zookit-wire-tls-'));
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, stdio: 'pipe' });
  const password = 'zookit-secret';
  const serverName = 'zk.test';
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
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
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.pem')),
    serverName,
    keyStorePath: join(dir, 'keystore.p12'),
    trustStorePath: join(dir, 'truststore.p12'),
    password,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
