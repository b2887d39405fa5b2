import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

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
