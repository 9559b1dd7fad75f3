/**
 * Benchmark runner (`pnpm bench [name…]`): starts a standalone ZooKeeper, runs every `bench/*.bench.ts`
 * (or those whose name contains one of the arguments) one after another, prints ONE JSON document on
 * stdout and stops the server. Progress goes to stderr, so stdout stays machine-readable.
 */
import { readdir } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ZkEnsemble } from '@zookit/test-harness';
import type { Bench } from './bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);

function isBench(value: unknown): value is Bench {
  const v = value as Partial<Bench> | undefined;
  return typeof v?.name === 'string' && typeof v.run === 'function';
}

async function discover(): Promise<Bench[]> {
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
  const benches: Bench[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default?: unknown };
    if (!isBench(mod.default)) throw new Error(`${file} must default-export { name, run(ctx) }`);
    benches.push(mod.default);
  }
  return benches.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
}

const benches = await discover();
if (benches.length === 0) {
  process.stderr.write(`no benchmark matches ${JSON.stringify(filters)}\n`);
  process.exit(2);
}
const startedAt = new Date().toISOString();
const results: Record<string, unknown> = {};
let failed = false;
const ensemble = await ZkEnsemble.start({ servers: 1 });
try {
  for (const bench of benches) {
    process.stderr.write(`bench ${bench.name}…\n`);
    const t0 = performance.now();
    try {
      results[bench.name] = await bench.run({ connectString: ensemble.connectString, ensemble });
    } catch (err) {
      failed = true;
      results[bench.name] = {
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      };
    }
    process.stderr.write(`bench ${bench.name} done in ${Math.round(performance.now() - t0)} ms\n`);
  }
} finally {
  await ensemble.close();
}
const doc = {
  node: process.version,
  cpus: { count: availableParallelism(), model: cpus()[0]?.model ?? 'unknown' },
  startedAt,
  results,
};
process.stdout.write(
  JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n',
);
process.exitCode = failed ? 1 : 0;
