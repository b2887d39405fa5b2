import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The benchmarks and their headings in `docs/benchmarks.md`, in the order the page lists them. */
export const BENCHMARKS = {
  transform: 'Transform (ETL)',
  ingest: 'Ingest end to end (ETL)',
  sparkJob: 'Spark job: the AWS Glue script (ETL)',
  localAthena: 'Local Athena: protocol overhead',
  apiCache: 'API: cache hits and cold reports',
} as const;
export type BenchmarkName = keyof typeof BENCHMARKS;

/** @default docs/benchmarks.md of this repository */
const DEFAULT_DOCS = path.resolve(__dirname, '..', 'docs', 'benchmarks.md');

/** `2026-11-23 18:34 UTC, load 3.2 on 2 cores`: when a run finished and how busy the machine was. */
export function runStamp(now: Date = new Date()): string {
  const load = (os.loadavg()[0] ?? 0).toFixed(1);
  return `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC, load ${load} on ${os.cpus().length} cores`;
}

/**
 * Records one run of a benchmark in `docs/benchmarks.md`: the run's text goes under the benchmark's own `##`
 * heading as a `### <title>` section, newest first, so each benchmark reads latest-run-first and keeps its
 * history below. A missing heading is added at the end of the page.
 */
export async function recordRun(
  benchmark: BenchmarkName,
  title: string,
  body: string,
  docsPath: string = DEFAULT_DOCS,
): Promise<void> {
  const heading = `## ${BENCHMARKS[benchmark]}`;
  const run = `### ${title}\n\n${body.trim()}\n`;
  const page = await readFile(docsPath, 'utf8');
  const lines = page.split('\n');
  const at = lines.indexOf(heading);
  if (at < 0) {
    await writeFile(docsPath, `${page.trimEnd()}\n\n${heading}\n\n${run}`);
    return;
  }
  // After the heading's introduction (the text before its first run or the next benchmark).
  let insert = at + 1;
  while (insert < lines.length && !/^#{2,3} /.test(lines[insert] ?? '')) insert++;
  const before = lines.slice(0, insert).join('\n').trimEnd();
  const after = lines.slice(insert).join('\n');
  await writeFile(docsPath, `${before}\n\n${run}${after === '' ? '' : `\n${after}`}`);
}
