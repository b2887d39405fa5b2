import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs|cjs)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Every relative import of a file, as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(SPECIFIER)]
    .map((m) => m[1]!)
    .filter((s) => s.startsWith('.'))
    .map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)));
}

function importsInto(dirs: readonly string[], forbidden: string): string[] {
  return dirs.flatMap((dir) =>
    sourceFiles(dir).flatMap((file) =>
      importsOf(file)
        .filter((target) => target === forbidden || target.startsWith(`${forbidden}${path.sep}`))
        .map((target) => `${file} imports ${target}`),
    ),
  );
}

/** Every source file of the application (tests, benchmarks and the CLI shims aside). */
const APPLICATION = ['settings', 'api', 'etl', 'infra', 'web/src'];

/**
 * The module graph of the application: each file and the files its imports resolve to, every kind of import
 * counted (static, `export … from`, `import type`, dynamic `import()` and `require`), as the TypeScript compiler
 * reads them.
 */
function moduleGraph(dirs: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of dirs.filter((d) => existsSync(path.join(ROOT, d))).flatMap(sourceFiles)) {
    if (!file.endsWith('.ts')) continue;
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((s) => s.startsWith('.'))
      .map((s) => resolveModule(file, s))
      .filter((t): t is string => t !== undefined);
    graph.set(file, targets);
  }
  return graph;
}

function resolveModule(from: string, specifier: string): string | undefined {
  const base = path.join(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find(
    (candidate) => candidate.endsWith('.ts') && existsSync(path.join(ROOT, candidate)),
  );
}

/** The import circles of a graph: its strongly connected components of more than one module, or a self-import. */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the module graph', () => {
  it('finds a circle when there is one (the check below can fail)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    expect(circles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(moduleGraph(['api']).get(path.join('api', 'handler.ts'))).toContain(path.join('api', 'createApi.ts'));
  });

  it('has no import circle', () => {
    expect(circles(moduleGraph(APPLICATION))).toEqual([]);
  });

  it('keeps the Lambda entry an entry: no module imports api/handler.ts', () => {
    const graph = moduleGraph(APPLICATION);
    const importers = [...graph].filter(([, targets]) => targets.includes(path.join('api', 'handler.ts')));
    expect(importers.map(([file]) => file)).toEqual([]);
  });

  it('keeps the settings registry at the bottom: settings/ imports nothing of the application', () => {
    expect(['api', 'etl', 'infra', 'web'].flatMap((dir) => importsInto(['settings'], dir))).toEqual([]);
  });
});

describe('import boundaries', () => {
  it('finds the imports a file makes (the check below can fail)', () => {
    expect(importsOf('infra/local/wireEtl.ts')).toContain(path.join('etl', 'transform', 'createTransformJob'));
    expect(importsInto(['infra/local'], 'etl')).not.toEqual([]);
  });

  it('keeps etl/ and api/ free of any import from infra/ (the emulator included)', () => {
    expect(importsInto(['etl', 'api'], 'infra')).toEqual([]);
  });

  it('keeps etl/ free of any import from api/', () => {
    expect(importsInto(['etl'], 'api')).toEqual([]);
  });
});
