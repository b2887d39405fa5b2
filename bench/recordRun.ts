import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The benchmarks and their headings in `docs/benchmarks.md`, in the order the page lists them. */
export const BENCHMARKS = {
  transform: 'Transform (ETL)',
  ingest: 'Ingest end to end (ETL)',
  sparkJob: 'Spark job: the AWS Glue script (ETL)',
  localAthena: 'Local Athena: protocol overhead',
  apiCache: 'API: cache hits and cold reports',
  sqlParserLoad: 'API cold start: SQL parser load',
} as const;
export type BenchmarkName = keyof typeof BENCHMARKS;

/** One target a run measured: what, the figure reached, the goal, and whether the goal was met (null: no goal). */
export interface TargetFigure {
  /** Stable across runs: the summary keeps the latest figure per (benchmark, target). */
  readonly target: string;
  readonly figure: string;
  readonly goal: string;
  readonly met: boolean | null;
}

/** What a benchmark script reports when it ends. */
export interface BenchmarkRun {
  readonly benchmark: BenchmarkName;
  /** A heading for the run: what was measured (rows, file size); the date and load are added. */
  readonly title: string;
  /** The command that reproduces the run. */
  readonly command: string;
  readonly targets: readonly TargetFigure[];
  /** The run's figures as Markdown (tables, notes). */
  readonly body: string;
}

/** A run as kept in `bench/history/<benchmark>.jsonl`, one JSON object per line, oldest first. */
export interface RecordedRun extends BenchmarkRun {
  /** ISO 8601, when the run ended. */
  readonly finishedAt: string;
  /** One-minute load average when the run ended (null: not recorded), and the machine's cores. */
  readonly load: number | null;
  readonly cores: number;
  /** The commit the run measured, when known. */
  readonly commit?: string;
}

export interface HistoryPaths {
  /** @default bench/history of this repository */
  readonly historyDir: string;
  /** @default docs/benchmarks.md of this repository */
  readonly docsPath: string;
}

const DEFAULT_PATHS: HistoryPaths = {
  historyDir: path.resolve(__dirname, 'history'),
  docsPath: path.resolve(__dirname, '..', 'docs', 'benchmarks.md'),
};

/** The generated summary sits between these two lines of `docs/benchmarks.md`. */
export const SUMMARY_START =
  '<!-- summary: generated from bench/history/*.jsonl by bench/recordRun.ts; do not edit -->';
export const SUMMARY_END = '<!-- /summary -->';

/** `2026-11-23 18:34 UTC, load 3.2 on 2 cores`: when a run finished and how busy the machine was. */
export function runStamp(run: Pick<RecordedRun, 'finishedAt' | 'load' | 'cores'>): string {
  const load = run.load === null ? 'load not recorded' : `load ${run.load.toFixed(1)}`;
  return `${run.finishedAt.slice(0, 16).replace('T', ' ')} UTC, ${load} on ${run.cores} cores`;
}

function currentCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Records one run: appends it to `bench/history/<benchmark>.jsonl` and regenerates the summary table of
 * `docs/benchmarks.md` from the history, so the page shows where each target stands and the history stays data.
 */
export async function recordRun(run: BenchmarkRun, paths: HistoryPaths = DEFAULT_PATHS): Promise<RecordedRun> {
  const recorded: RecordedRun = {
    ...run,
    finishedAt: new Date().toISOString(),
    load: Number((os.loadavg()[0] ?? 0).toFixed(2)),
    cores: os.cpus().length,
    commit: currentCommit(),
  };
  await mkdir(paths.historyDir, { recursive: true });
  await appendFile(historyFile(paths.historyDir, run.benchmark), `${JSON.stringify(recorded)}\n`);
  await writeSummary(paths);
  return recorded;
}

function historyFile(dir: string, benchmark: BenchmarkName): string {
  return path.join(dir, `${benchmark}.jsonl`);
}

/** Every recorded run of a benchmark, oldest first (none when it has never run). */
export async function readHistory(
  benchmark: BenchmarkName,
  historyDir = DEFAULT_PATHS.historyDir,
): Promise<RecordedRun[]> {
  let text: string;
  try {
    text = await readFile(historyFile(historyDir, benchmark), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as RecordedRun;
      } catch {
        throw new Error(`bench/history/${benchmark}.jsonl line ${index + 1} is not JSON; fix or remove that line.`);
      }
    });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One row per (benchmark, target): the latest run that measured the target. */
export async function renderSummary(historyDir = DEFAULT_PATHS.historyDir): Promise<string> {
  const rows = [
    '| benchmark | target | latest figure | goal | status | when | command |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const benchmark of Object.keys(BENCHMARKS) as BenchmarkName[]) {
    const latest = new Map<string, RecordedRun>();
    for (const run of await readHistory(benchmark, historyDir)) {
      for (const target of run.targets) latest.set(target.target, run);
    }
    for (const [name, run] of latest) {
      const target = run.targets.find((t) => t.target === name) as TargetFigure;
      const status = target.met === null ? '—' : target.met ? 'met' : '**missed**';
      rows.push(
        `| ${cell(BENCHMARKS[benchmark])} | ${cell(name)} | ${cell(target.figure)} | ${cell(target.goal || '—')} | ${status} | ${runStamp(run)} | \`${cell(run.command)}\` |`,
      );
    }
  }
  return rows.join('\n');
}

/** Replaces the summary between the markers of `docs/benchmarks.md` (the page must hold both markers). */
export async function writeSummary(paths: HistoryPaths = DEFAULT_PATHS): Promise<void> {
  const page = await readFile(paths.docsPath, 'utf8');
  const start = page.indexOf(SUMMARY_START);
  const end = page.indexOf(SUMMARY_END);
  if (start < 0 || end < start) {
    throw new Error(
      `${paths.docsPath} has no summary markers; put "${SUMMARY_START}" and "${SUMMARY_END}" where the table goes.`,
    );
  }
  const table = await renderSummary(paths.historyDir);
  await writeFile(paths.docsPath, `${page.slice(0, start + SUMMARY_START.length)}\n${table}\n${page.slice(end)}`);
}

/** A run as Markdown: a heading with its date and load, the command, its targets and its figures. */
export function renderRun(run: RecordedRun): string {
  const targets = run.targets.map(
    (t) =>
      `- ${t.target}: ${t.figure}${t.goal ? ` (goal ${t.goal}: ${t.met === null ? '—' : t.met ? 'met' : 'missed'})` : ''}`,
  );
  return [
    `### ${runStamp(run)}: ${run.title}${run.commit ? ` (${run.commit})` : ''}`,
    '',
    `\`${run.command}\``,
    '',
    ...(targets.length > 0 ? [...targets, ''] : []),
    run.body.trim(),
    '',
  ].join('\n');
}
