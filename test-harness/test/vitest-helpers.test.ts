import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  afterEach,
  describe,
  expect,
  it,
  vi,
  type OnTestFailedHandler,
  type TestContext,
} from 'vitest';
import { attachServerLogsOnFailure } from '../src/vitest.js';
import { assertZooKeeperInstalled } from '../src/zk-server-process.js';

describe('attachServerLogsOnFailure', () => {
  let dir: string | undefined;
  afterEach(() => {
    vi.restoreAllMocks();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  function capture(): {
    handler: () => OnTestFailedHandler;
    context: Pick<TestContext, 'onTestFailed'>;
  } {
    let registered: OnTestFailedHandler | undefined;
    return {
      handler: () => {
        if (registered === undefined) throw new Error('no handler registered');
        return registered;
      },
      context: {
        onTestFailed: (fn) => {
          registered = fn;
        },
      },
    };
  }

  it('prints the tail of each log file under the failing test name', async () => {
    dir = mkdtempSync(join(tmpdir(), 'zookit-logs-'));
    const file = join(dir, 'server.log');
    writeFileSync(file, Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n'));
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const { handler, context } = capture();
    attachServerLogsOnFailure([file, join(dir, 'gone.log')], context);
    await handler()({ task: { name: 'my failing test' } } as TestContext);
    const out = written.join('');
    expect(out).toContain('[my failing test] ZooKeeper server logs');
    expect(out).toContain('line 399');
    expect(out).not.toContain('line 100\n');
    expect(out).toContain('(log file gone)');
  });

  it('reads an ensemble through logs(i)', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const { handler, context } = capture();
    attachServerLogsOnFailure({ size: 2, logs: (i?: number) => `log of ${String(i)}` }, context);
    await handler()({ task: { name: 't' } } as TestContext);
    expect(written.join('')).toMatch(/==== zk1 ====\nlog of 0\n==== zk2 ====\nlog of 1/);
  });
});

describe('assertZooKeeperInstalled', () => {
  it('tells the user to run scripts/setup.sh when the jar is missing', () => {
    expect(() => assertZooKeeperInstalled('/nonexistent/zookeeper.jar')).toThrow(
      /bash scripts\/setup\.sh/,
    );
    expect(() => assertZooKeeperInstalled()).not.toThrow();
  });
});
