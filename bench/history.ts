/**
 * `npm run bench:history [-- <benchmark>] [--last N]`: the recorded runs of `bench/history/*.jsonl` as Markdown,
 * newest first (every benchmark when none is named; `--last` keeps the N newest of each).
 */
import { BENCHMARKS, type BenchmarkName, readHistory, renderRun } from './recordRun';

async function main(argv: readonly string[]): Promise<void> {
  const lastAt = argv.indexOf('--last');
  const last = lastAt >= 0 ? Number(argv[lastAt + 1]) : Number.POSITIVE_INFINITY;
  if (lastAt >= 0 && !(last > 0)) throw new Error('--last takes a positive number of runs, e.g. --last 3.');
  const named = argv.filter((arg, i) => !arg.startsWith('--') && (lastAt < 0 || i !== lastAt + 1));
  const unknown = named.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    throw new Error(`No benchmark ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(', ')}.`);
  }
  const benchmarks = (named.length > 0 ? named : Object.keys(BENCHMARKS)) as BenchmarkName[];
  for (const benchmark of benchmarks) {
    const runs = (await readHistory(benchmark)).reverse().slice(0, last);
    console.log(`## ${BENCHMARKS[benchmark]} (${runs.length} run${runs.length === 1 ? '' : 's'})\n`);
    for (const run of runs) console.log(renderRun(run));
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
