import { describe, expect, inject, it } from 'vitest';
import { ConnectTimeoutError } from '../../src/index.js';
import type { WireZkClientOptions } from '../../src/wire/wire-options.js';
import { WireZkClient } from '../../src/wire/wire-zk-client.js';

// The run's shared TLS server (harness global setup; PKI from the harness's createTestPki).
const secure = inject('zkTls');
const pki = { caPem: inject('zkTlsCaPem'), serverName: inject('zkTlsServerName') };

async function attempt(
  options: Partial<WireZkClientOptions>,
): Promise<{ client: WireZkClient; errors: Error[]; result: unknown }> {
  const errors: Error[] = [];
  const client = new WireZkClient({
    connectString: secure,
    connectTimeoutMs: 3000,
    onConnectionError: (e) => errors.push(e),
    ...options,
  });
  const result = await client.connect().then(
    () => 'connected',
    (e: unknown) => e,
  );
  return { client, errors, result };
}

describe('TLS (node:tls against a Netty secureClientPort)', () => {
  it('connects when the CA and the server name match, and works end to end', async () => {
    const { client, result } = await attempt({
      tls: { ca: pki.caPem, servername: pki.serverName },
    });
    try {
      expect(result).toBe('connected');
      const path = await client.create(`/tls-${Date.now()}`, 'secret', { mode: 'ephemeral' });
      expect((await client.getData(path)).data.toString()).toBe('secret');
      expect(await client.whoAmI()).toEqual([{ authScheme: 'ip', user: '127.0.0.1' }]);
    } finally {
      await client.close();
    }
    expect(client.state).toBe('closed');
  });

  it('refuses a server whose certificate is for another host name', async () => {
    // The certificate names zk.test; connecting to 127.0.0.1 without saying so must fail the host check.
    const { client, result, errors } = await attempt({ tls: { ca: pki.caPem } });
    expect(result).toBeInstanceOf(ConnectTimeoutError);
    expect(client.state).toBe('closed');
    expect(errors.length).toBeGreaterThan(0);
    expect(
      errors.every((e) => (e as NodeJS.ErrnoException).code === 'ERR_TLS_CERT_ALTNAME_INVALID'),
    ).toBe(true);
  });

  it('refuses a server signed by an unknown CA', async () => {
    const { result, errors } = await attempt({ tls: { servername: pki.serverName } });
    expect(result).toBeInstanceOf(ConnectTimeoutError);
    expect(errors.length).toBeGreaterThan(0);
    expect((errors[0] as NodeJS.ErrnoException).code).toMatch(
      /UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER/,
    );
  });
});
