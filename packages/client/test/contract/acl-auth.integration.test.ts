import { createHash } from 'node:crypto';
import {
  Acls,
  AuthFailedError,
  BadVersionError,
  InvalidArgumentError,
  NoAuthError,
  Perms,
  UnsupportedByTransportError,
  type Acl,
} from '@zookit/client';
import { expect, it, vi } from 'vitest';
import { describeContract, freshExists, recordEvents } from './contract-context.js';
import { diverges } from './transports.js';

/** ZooKeeper's digest id for `user:password` (`DigestAuthenticationProvider.generateDigest`). */
function digestId(user: string, password: string): string {
  return `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;
}

describeContract('contract: ACL, auth, sync, config', (env) => {
  it('reads the default ACL and replaces it, honouring the ACL version', async () => {
    const { open } = env();
    const client = await open();
    await client.create('/a', 'x');
    const before = await client.getACL('/a');
    expect(before.acl).toEqual(Acls.OpenAclUnsafe);
    expect(before.stat.aversion).toBe(0);
    const readOnly: Acl[] = [
      { perms: Perms.Read | Perms.Admin, id: { scheme: 'world', id: 'anyone' } },
    ];
    const stat = await client.setACL('/a', readOnly, { version: 0 });
    expect(stat.aversion).toBe(1);
    expect(stat.version).toBe(0);
    expect((await client.getACL('/a')).acl).toEqual(readOnly);
    await expect(client.setACL('/a', Acls.OpenAclUnsafe, { version: 0 })).rejects.toBeInstanceOf(
      BadVersionError,
    );
    await expect(client.setData('/a', 'y')).rejects.toBeInstanceOf(NoAuthError);
    await client.setACL('/a', Acls.OpenAclUnsafe);
    expect((await client.getACL('/a')).stat.aversion).toBe(2);
    await client.setData('/a', 'y');
  });

  it('protects a node with a digest ACL: only sessions with the credentials get in', async () => {
    const { open } = env();
    const owner = await open();
    await owner.addAuth('digest', 'alice:secret');
    await owner.create('/secret', 'hidden');
    const acl: Acl[] = [
      { perms: Perms.All, id: { scheme: 'digest', id: digestId('alice', 'secret') } },
    ];
    await owner.setACL('/secret', acl);
    expect((await owner.getData('/secret')).data.toString()).toBe('hidden');

    const stranger = await open();
    await stranger.sync('/secret');
    await expect(stranger.getData('/secret')).rejects.toMatchObject({
      code: 'NO_AUTH',
      path: '/secret',
    });
    await stranger.addAuth('digest', 'alice:wrong');
    await expect(stranger.getData('/secret')).rejects.toBeInstanceOf(NoAuthError);

    const friend = await open();
    await friend.sync('/secret');
    await friend.addAuth('digest', new TextEncoder().encode('alice:secret'));
    expect((await friend.getData('/secret')).data.toString()).toBe('hidden');
    expect((await friend.getACL('/secret')).acl).toEqual(acl);
  });

  it('the auth scheme grants the creating identities (CreatorAllAcl via setACL)', async () => {
    const { open } = env();
    const owner = await open();
    await owner.addAuth('digest', 'bob:pw');
    await owner.create('/mine', 'x');
    await owner.setACL('/mine', Acls.CreatorAllAcl);
    expect((await owner.getACL('/mine')).acl).toEqual([
      { perms: Perms.All, id: { scheme: 'digest', id: digestId('bob', 'pw') } },
    ]);
    const other = await open();
    await expect(other.setData('/mine', 'y')).rejects.toBeInstanceOf(NoAuthError);
  });

  it('rejects bad auth arguments before sending, and binary auth where the transport cannot', async () => {
    const { transport, open } = env();
    const client = await open();
    await expect(client.addAuth('', 'x')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'scheme',
    });
    await expect(client.addAuth('', 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
    const binary = new Uint8Array([0xff, 0xfe, 0x00]);
    if (diverges(transport, 'noBinaryAuth')) {
      await expect(client.addAuth('digest', binary)).rejects.toBeInstanceOf(
        UnsupportedByTransportError,
      );
    } else {
      await client.addAuth('digest', binary);
    }
    expect(client.state).toBe('connected');
  });

  it('a refused credential ends the session with authFailed; later calls fail with AuthFailedError', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/kept', 'x');
    const events = recordEvents(client);
    // The server knows no such scheme: it answers AuthFailed and drops the connection.
    await expect(client.addAuth('no-such-scheme', 'x')).rejects.toBeInstanceOf(AuthFailedError);
    await vi.waitFor(() => expect(client.state).toBe('authFailed'), { timeout: 10_000 });
    expect(events.map((e) => e.type)).toEqual(['authFailed']);
    await expect(client.exists('/kept')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      path: '/kept',
    });
    await expect(client.getData('/kept')).rejects.toBeInstanceOf(AuthFailedError);
    // Final: close() only resolves; the handle keeps saying why it ended and emits nothing more.
    await client.close();
    expect(client.state).toBe('authFailed');
    expect(events.map((e) => e.type)).toEqual(['authFailed']);
    await expect(client.exists('/kept')).rejects.toBeInstanceOf(AuthFailedError);
    // Only this session ended: the server and other sessions carry on.
    expect(await freshExists(admin, `${root}/kept`)).not.toBeNull();
  });

  it('sync makes a later read see another session’s write', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/synced', 'v0');
    await admin.setData(`${root}/synced`, 'v1');
    await client.sync('/synced');
    expect((await client.getData('/synced')).data.toString()).toBe('v1');
  });

  it('reads the ensemble configuration', async () => {
    const { target, admin, open } = env();
    const { data, stat } = await admin.getConfig();
    expect(typeof stat.version).toBe('number');
    // The config node lives outside any chroot.
    const chrooted = await open();
    expect((await chrooted.getConfig()).data.equals(data)).toBe(true);
    if (target.servers === 3) {
      expect(data.toString()).toMatch(/^server\.1=/m);
      expect(data.toString()).toMatch(/^server\.3=/m);
    } else {
      expect(data.toString()).not.toMatch(/^server\.2=/m);
    }
  });
});
