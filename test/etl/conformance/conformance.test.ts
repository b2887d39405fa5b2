import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GlueEngine, LocalStackConfig } from '../../../infra/local/config';
import {
  CORPUS_DIR,
  corpusCase,
  corpusCaseNames,
  expectedDir,
  readOutputFiles,
} from '../support/conformance/corpusCase';
import { runCorpusCase } from '../support/conformance/runCorpusCase';

/** The transform engines of the local Glue job that must all give the corpus's expected outputs. */
const ENGINES = ['duckdb', 'spark'] as const satisfies readonly GlueEngine[];
type Engine = (typeof ENGINES)[number];

/**
 * Whether the spark engine runs the corpus: the local Glue job under spark-submit (`EXAMLAKE_GLUE_ENGINE=spark`,
 * `glueEngine` of the stack). It needs the job's Python venv and a JDK; without them the stack refuses to start and
 * says what to install (it never skips). Set to false only to take the spark engine out on purpose.
 */
const SPARK_ENGINE_WIRED = true;

/** Stack settings selecting an engine. */
function stackOptions(engine: Engine): Partial<LocalStackConfig> {
  return { glueEngine: engine };
}

/**
 * `UPDATE_CONFORMANCE=1` rewrites the expected files from the DuckDB engine's output: a review aid once the
 * hand-written files exist (the diff is the review), never a way to make a failing case pass unread.
 */
const UPDATE = process.env.UPDATE_CONFORMANCE === '1';

// A case is up to four job runs on a fresh stack. A DuckDB run takes about a second; a Spark run starts a JVM and
// took 1-8 minutes on a loaded two-core machine (load 15), so a case may take half an hour there.
jest.setTimeout(1_800_000);

const engines: Engine[] = ENGINES.filter((e) => e === 'duckdb' || SPARK_ENGINE_WIRED);
const caseNames = corpusCaseNames();
let expectedColumns: Record<string, string[]>;

beforeAll(async () => {
  expectedColumns = JSON.parse(await readFile(path.join(CORPUS_DIR, 'parquet-columns.json'), 'utf8'));
});

describe.each(engines)('the conformance corpus on the %s engine', (engine) => {
  it.each(caseNames)(
    'gives case %s its expected curated rows, partitions, rejects, bookmarks and summaries',
    async (name) => {
      {
        const c = await corpusCase(name);
        const outputs = await runCorpusCase(c, engine, stackOptions(engine));
        expect({ case: c.name, problems: outputs.problems }).toEqual({ case: c.name, problems: [] });
        for (const [dataset, columns] of Object.entries(outputs.columns)) {
          expect({ case: c.name, dataset, columns }).toEqual({
            case: c.name,
            dataset,
            columns: expectedColumns[dataset],
          });
        }
        for (const [i, actual] of outputs.runs.entries()) {
          const dir = expectedDir(c, i + 1);
          if (UPDATE && engine === 'duckdb') {
            await rm(dir, { recursive: true, force: true });
            await mkdir(dir, { recursive: true });
            for (const [name, text] of Object.entries(actual)) await writeFile(path.join(dir, name), text);
            continue;
          }
          const expected = await readOutputFiles(dir);
          for (const name of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
            const where = `${c.name}/expected/run-${i + 1}/${name}`;
            // Compared line by line, so a failure shows which lines differ.
            expect({ file: where, lines: actual[name]?.split('\n') ?? '(not produced)' }).toEqual({
              file: where,
              lines: expected[name]?.split('\n') ?? '(not expected)',
            });
          }
        }
      }
    },
  );
});
