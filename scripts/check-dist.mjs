// Imports every public entry point of every workspace package the way an application would: plain Node,
// no `source` condition, so each resolves through `exports` to the built `dist/`. Run after `pnpm build`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = [
  ...readdirSync(join(root, 'packages')).map((d) => join('packages', d)),
  'test-harness',
];
// These two run only inside vitest (they import its runner state).
const runnerOnly = new Set(['@zookit/test-harness/vitest', '@zookit/test-harness/global-setup']);
let failed = 0;
let checked = 0;
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  for (const key of Object.keys(pkg.exports ?? {})) {
    if (key === './package.json' || key.includes('*')) continue;
    const specifier = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    if (runnerOnly.has(specifier)) continue;
    try {
      const resolved = import.meta.resolve(specifier);
      if (!resolved.includes('/dist/')) throw new Error(`resolves to ${resolved}, not dist/`);
      const mod = await import(specifier);
      if (Object.keys(mod).length === 0) throw new Error('exports nothing');
      checked++;
    } catch (error) {
      failed++;
      console.error(`dist check: ${specifier}: ${error instanceof Error ? error.message : error}`);
    }
  }
}
console.log(
  `dist check: ${checked} entry points import under plain Node${failed ? `, ${failed} failed` : ''}`,
);
process.exit(failed ? 1 : 0);
