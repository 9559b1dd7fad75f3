import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Enforces the project standard "TSDoc with a short `@example` on every exported symbol" for everything a
// consumer can import. The public surface is derived from each workspace package's `exports` map (its
// `source` condition), so a new package or subpath is covered without touching this test.

const root = resolve(import.meta.dirname, '../../..');

interface EntryPoint {
  /** Import specifier, e.g. `@zookit/framework/recipe-kit`. */
  readonly specifier: string;
  readonly file: string;
}

/** Directories of the workspace packages, from the simple `- dir` / `- dir/*` lines of pnpm-workspace.yaml. */
function workspaceDirs(): string[] {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^packages:\n((?:[ \t]+-.*\n?)+)/m.exec(yaml)?.[1] ?? '';
  const dirs: string[] = [];
  for (const line of block.split('\n')) {
    const pattern = /^\s*-\s*['"]?([^'"\s]+)['"]?\s*$/.exec(line)?.[1];
    if (pattern === undefined) continue;
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      for (const d of readdirSync(parent, { withFileTypes: true })) {
        if (d.isDirectory()) dirs.push(join(parent, d.name));
      }
    } else {
      dirs.push(join(root, pattern));
    }
  }
  return dirs.filter((d) => existsSync(join(d, 'package.json')));
}

function entryPoints(): EntryPoint[] {
  const out: EntryPoint[] = [];
  for (const dir of workspaceDirs()) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      exports?: Record<string, unknown>;
    };
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      // Only conditional entries with TypeScript sources are modules; `./package.json` and blocked
      // `./internal/*` (null) are not.
      if (typeof target !== 'object' || target === null) continue;
      const source = (target as { source?: unknown }).source;
      if (typeof source !== 'string') continue;
      out.push({
        specifier: subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`,
        file: join(dir, source),
      });
    }
  }
  return out;
}

/** A fenced TypeScript block with some code in it: an empty or prose-only `@example` shows nothing. */
const fencedCode = /```ts\n[^]*?\S[^]*?```/;

/**
 * Whether the doc block closest to the declaration (the one TSDoc reads) has an `@example` tag holding
 * a ```ts fenced block.
 */
function hasExample(declaration: ts.Declaration): boolean {
  const node = ts.isVariableDeclaration(declaration)
    ? declaration.parent.parent // the doc sits on the `export const` statement
    : declaration;
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  return (
    docs
      .at(-1)
      ?.tags?.some(
        (tag) =>
          tag.tagName.text === 'example' &&
          fencedCode.test(ts.getTextOfJSDocComment(tag.comment) ?? ''),
      ) ?? false
  );
}

interface Finding {
  readonly symbol: string;
  readonly where: string;
  readonly via: string;
}

const compilerOptions: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  customConditions: ['source'],
  strict: true,
  noEmit: true,
  noLib: true,
  types: [],
};

const isThirdParty = (fileName: string): boolean => fileName.includes('/node_modules/');

/**
 * A host that hands TypeScript an empty module for every third-party file: only our own declarations are
 * inspected, and parsing rxjs, zod, testcontainers and vitest typings would take most of the run time.
 * Workspace packages resolve to their real paths under packages/, so they are parsed for real.
 */
function ownSourcesHost(): ts.CompilerHost {
  const host = ts.createCompilerHost(compilerOptions, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    isThirdParty(fileName)
      ? ts.createSourceFile(fileName, 'export {};', languageVersion)
      : getSourceFile(fileName, languageVersion, ...rest);
  return host;
}

/** Whether an export that resolves to nothing is re-exported from a third-party module (stubbed above). */
function reExportsThirdParty(exported: ts.Symbol, host: ts.CompilerHost): boolean {
  const specifier = exported.declarations?.find(ts.isExportSpecifier);
  const moduleSpecifier = specifier?.parent.parent.moduleSpecifier;
  if (specifier === undefined || moduleSpecifier === undefined) return false;
  if (!ts.isStringLiteral(moduleSpecifier)) return false;
  const resolved = ts.resolveModuleName(
    moduleSpecifier.text,
    specifier.getSourceFile().fileName,
    compilerOptions,
    host,
  ).resolvedModule;
  return resolved !== undefined && isThirdParty(resolved.resolvedFileName);
}

function findMissingExamples(entries: readonly EntryPoint[]): {
  checked: Map<string, number>;
  missing: Finding[];
} {
  const host = ownSourcesHost();
  const program = ts.createProgram({
    rootNames: entries.map((e) => e.file),
    options: compilerOptions,
    host,
  });
  const checker = program.getTypeChecker();
  const checked = new Map<string, number>();
  const missing = new Map<string, { symbol: string; where: string; via: string[] }>();
  for (const entry of entries) {
    const sourceFile = program.getSourceFile(entry.file);
    const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (moduleSymbol === undefined)
      throw new Error(`${entry.specifier}: ${entry.file} is no module`);
    let count = 0;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.getDeclarations() ?? [];
      // Third-party re-exports are documented upstream.
      if (declarations.length === 0 && reExportsThirdParty(exported, host)) continue;
      if (declarations.some((d) => isThirdParty(d.getSourceFile().fileName))) continue;
      count++;
      // A value and a type of the same name (the `as const` enum pattern) need one example between them.
      if (declarations.some(hasExample)) continue;
      const first = declarations[0];
      const where =
        first === undefined
          ? 'unresolved'
          : `${relative(root, first.getSourceFile().fileName)}:${
              first.getSourceFile().getLineAndCharacterOfPosition(first.getStart()).line + 1
            }`;
      const key = `${exported.name} ${where}`;
      const found = missing.get(key) ?? { symbol: exported.name, where, via: [] };
      found.via.push(entry.specifier);
      missing.set(key, found);
    }
    checked.set(entry.specifier, count);
  }
  return {
    checked,
    missing: [...missing.values()]
      .map((m) => ({ symbol: m.symbol, where: m.where, via: m.via.join(', ') }))
      .sort(
        (a, b) => a.where.localeCompare(b.where, 'en') || a.symbol.localeCompare(b.symbol, 'en'),
      ),
  };
}

describe('TSDoc examples on the public API', () => {
  const entries = entryPoints();

  it('finds the entry points of every published package, subpaths included', () => {
    const specifiers = entries.map((e) => e.specifier);
    expect(specifiers).toEqual(
      expect.arrayContaining([
        '@zookit/client',
        '@zookit/framework',
        '@zookit/framework/recipe-kit',
        '@zookit/test-harness',
        '@zookit/test-harness/vitest',
      ]),
    );
    for (const e of entries) expect(existsSync(e.file), e.file).toBe(true);
  });

  it('every exported symbol has a TSDoc block with a ```ts fenced @example', () => {
    const { checked, missing } = findMissingExamples(entries);
    // Guards against a vacuous pass (e.g. a resolution failure yielding empty modules).
    for (const [specifier, count] of checked) expect(count, specifier).toBeGreaterThan(0);
    expect(
      missing.map((m) => `${m.symbol} (${m.where}, exported by ${m.via})`),
      'exported symbols without an @example',
    ).toEqual([]);
  });
});
