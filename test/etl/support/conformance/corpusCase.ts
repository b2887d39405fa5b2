import { readdirSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Root of the conformance corpus: one folder per case (see its README.md). */
export const CORPUS_DIR = path.resolve(__dirname, '../../conformance/cases');

/**
 * The secret `student_key` is keyed with in every corpus run (hex, 32 bytes), so the expected pseudonyms are fixed:
 * `student_key` = hex HMAC-SHA-256(this secret, `student_id`).
 */
export const CORPUS_STUDENT_KEY_HEX = '6578616d6c616b652d636f6e666f726d616e63652d636f727075732d6b657921';

/** One job run of a case: the raw objects uploaded before it, in upload order, and the run's job arguments. */
export interface CorpusRun {
  /** Keys as in the raw bucket; each file is `<case>/run-<n>/<key>`. */
  readonly upload: readonly string[];
  /** Job arguments of the StartJobRun (for example `{"--reprocess_all": "true"}`). */
  readonly arguments: Readonly<Record<string, string>>;
}

export interface CorpusCase {
  readonly name: string;
  readonly dir: string;
  readonly description: string;
  readonly runs: readonly CorpusRun[];
}

/** The case folders of the corpus, sorted (read synchronously: test titles are built from them). */
export function corpusCaseNames(): string[] {
  return readdirSync(CORPUS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** A case of the corpus by folder name. A case folder without a valid `case.json` fails loudly. */
export async function corpusCase(name: string): Promise<CorpusCase> {
  const dir = path.join(CORPUS_DIR, name);
  const manifest = JSON.parse(await readFile(path.join(dir, 'case.json'), 'utf8')) as {
    description?: unknown;
    runs?: { upload?: unknown; arguments?: unknown }[];
  };
  if (typeof manifest.description !== 'string' || !Array.isArray(manifest.runs) || manifest.runs.length === 0) {
    throw new Error(`${name}/case.json needs a description and at least one run.`);
  }
  const runs: CorpusRun[] = [];
  for (const [i, run] of manifest.runs.entries()) {
    const upload = Array.isArray(run.upload) ? run.upload.map(String) : [];
    for (const key of upload) {
      const file = path.join(dir, `run-${i + 1}`, key);
      if (!(await stat(file).catch(() => undefined))?.isFile()) {
        throw new Error(`${name}/case.json: run ${i + 1} uploads ${key}, but ${file} does not exist.`);
      }
    }
    runs.push({ upload, arguments: (run.arguments ?? {}) as Record<string, string> });
  }
  return { name, dir, description: manifest.description, runs };
}

/** Path of an object's bytes in the corpus. */
export function objectFile(c: CorpusCase, run: number, key: string): string {
  return path.join(c.dir, `run-${run}`, key);
}

/** Directory of a run's expected outputs. */
export function expectedDir(c: CorpusCase, run: number): string {
  return path.join(c.dir, 'expected', `run-${run}`);
}

/** The expected output files of a run, by file name (an absent directory has none). */
export async function readOutputFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir).catch(() => [] as string[])).sort()) {
    out[name] = await readFile(path.join(dir, name), 'utf8');
  }
  return out;
}
