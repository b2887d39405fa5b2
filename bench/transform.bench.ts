/**
 * Transform throughput on generated `exam_results`, against DuckDB's bare `COPY` of the same file and a
 * pure-JavaScript conversion.
 *
 *   npx tsx bench/transform.bench.ts [--rows 10000000] [--js-rows 1000000] [--memory 1GB] [--rss-gb 5] [--spark]
 *     [--spark-driver-memory 1g] [--no-doc]
 *
 * (a) the transform (`transformObjects`: header, DuckDB CSV reader + generated checks, dedup, student keys,
 *     partitioned sorted Parquet, read-back reconciliation) on `--rows` rows; after the measure, its files are
 *     checked to be one sorted run each (the note's "rows out of sort order" must be 0);
 * (b) baseline: DuckDB `COPY (SELECT * FROM read_csv(file)) TO 'x.parquet'` of the same file;
 * (c) baseline: csv-parse + @dsnp/parquetjs (typed columns) on the first `--js-rows` rows (0: skipped);
 * (e) with `--rss-gb N`: the transform on a synthesised ~N GB file under `--memory`, for its peak RSS;
 * (f) with `--spark`: the AWS Glue job script on the same file, run by the local stack's spark engine
 *     (spark-submit, `local[2]`, `--spark-driver-memory`, s3a on the edge endpoint; see sparkJobRun.ts), its CPU
 *     seconds and peak RSS those of the spark-submit process tree.
 *
 * Each measurement runs in its own process, so that its CPU seconds (DuckDB's threads included) and peak RSS are
 * its own. Inputs are cached under `.bench/` (see transformInputs.ts). Prints a table and records the run in
 * bench/history (`sparkJob` with `--spark`, else `transform`; `--no-doc` records nothing). End-to-end ingest is
 * `bench/ingest.bench.ts`.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { EXAM_RESULTS } from '../etl/schemas/examResults';
import { sqlString } from '../etl/sql/sqlText';
import { transformObjects } from '../etl/transform/transformObjects';
import { benchArgs, flag, numberFlag } from './commandLine';
import { recordRun, type TargetFigure } from './recordRun';
import { measureSparkJob } from './sparkJobRun';
import { BENCH_DIR, examResultsInput } from './transformInputs';

/** What one measuring process reports. */
export interface Measure {
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly note?: string;
}

/** Average bytes of a synthesised exam_results row (for `--rss-gb`). */
const ROW_BYTES = 287;

async function main(): Promise<void> {
  const measure = flag('measure', '');
  if (measure) {
    const result = await measureOne(measure, flag('input', ''), numberFlag('limit', 0), {
      memory: flag('memory', '1GB'),
      sparkDriverMemory: flag('spark-driver-memory', '1g'),
    });
    console.log(`RESULT ${JSON.stringify(result)}`);
    return;
  }
  const rows = numberFlag('rows', 10000000);
  const jsRows = Math.min(rows, numberFlag('js-rows', 1000000));
  const memory = flag('memory', '1GB');
  const rssGb = numberFlag('rss-gb', 0);
  const spark = benchArgs.includes('--spark');
  const sparkDriverMemory = flag('spark-driver-memory', '1g');
  const input = await examResultsInput(rows);
  const results: Measure[] = [];
  const child = (name: string, file: string, limit = 0) => {
    const out = execFileSync(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        __filename,
        '--measure',
        name,
        '--input',
        file,
        '--limit',
        String(limit),
        '--memory',
        memory,
        '--spark-driver-memory',
        sparkDriverMemory,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 },
    );
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`${name} printed no result:\n${out}`);
    const m = JSON.parse(line.slice(7)) as Measure;
    console.log(
      `  ${m.name}: ${m.rows.toLocaleString('en-US')} rows, ${m.wallSeconds.toFixed(1)} s, ${m.cpuSeconds.toFixed(1)} CPU s`,
    );
    results.push(m);
    return m;
  };
  console.log(`Measuring on ${input.file} (${(input.bytes / 1e9).toFixed(2)} GB)…`);
  const transform = child('transform', input.file);
  const copy = child('copy', input.file);
  if (jsRows > 0) child('js', input.file, jsRows);
  if (rssGb > 0) {
    const big = await examResultsInput(Math.round((rssGb * 1e9) / ROW_BYTES));
    child('transform-rss', big.file);
  }
  const sparkJob = spark ? child('spark', input.file) : undefined;
  const table = render(results);
  const ratio = (m: Measure) => m.rows / m.cpuSeconds;
  const title = `exam_results, ${rows.toLocaleString('en-US')} rows, ${(input.bytes / 1e9).toFixed(2)} GB CSV`;
  const perCpu = ratio(transform) / ratio(copy);
  const targets: TargetFigure[] = [
    {
      target: 'transform / bare DuckDB COPY, rows per CPU s',
      figure: `${perCpu.toFixed(2)} on ${rows.toLocaleString('en-US')} rows (${transform.cpuSeconds.toFixed(1)} against ${copy.cpuSeconds.toFixed(1)} CPU s)`,
      goal: '≥ 0.35',
      met: perCpu >= 0.35,
    },
  ];
  const rss = results.find((m) => m.name.startsWith('(e)'));
  if (rss) {
    targets.push({
      target: 'transform peak RSS on a 5 GB input',
      figure: `${Math.round(rss.peakRssMiB).toLocaleString('en-US')} MiB on ${(rss.bytes / 1e9).toFixed(1)} GB`,
      goal: '≤ 2 GiB',
      met: rss.peakRssMiB <= 2048,
    });
  }
  if (sparkJob) {
    targets.length = 0;
    targets.push({
      target: `Spark job completes at driver ${sparkDriverMemory}`,
      figure: `${sparkJob.rows.toLocaleString('en-US')} rows, ${sparkJob.cpuSeconds.toFixed(0)} CPU s (${Math.round(ratio(sparkJob)).toLocaleString('en-US')} rows per CPU s; DuckDB transform ${Math.round(ratio(transform)).toLocaleString('en-US')})`,
      goal: 'completes and reconciles, figures beside DuckDB',
      met: true,
    });
  }
  const section = [
    `DuckDB memory limit ${memory}.`,
    '',
    table,
    '',
    `Transform / bare COPY: ${(transform.rows / transform.wallSeconds / (copy.rows / copy.wallSeconds)).toFixed(2)} (wall), ` +
      `${(ratio(transform) / ratio(copy)).toFixed(2)} (rows per CPU second). Targets: ≥ 0.35 of bare COPY per CPU second; ` +
      'peak RSS ≤ 2 GiB on a 5 GB input. Each row is one process (its own CPU seconds, DuckDB threads included, and peak RSS).',
    ...(sparkJob
      ? [
          '',
          `Spark job / bare COPY: ${share(sparkJob.rows / sparkJob.wallSeconds / (copy.rows / copy.wallSeconds))} (wall), ` +
            `${share(ratio(sparkJob) / ratio(copy))} (rows per CPU second); Spark job / transform: ` +
            `${share(ratio(sparkJob) / ratio(transform))} (rows per CPU second). (f) is spark-submit \`local[2]\` with ` +
            `\`--driver-memory ${sparkDriverMemory}\` started by the local Glue \`StartJobRun\`, reading and writing through s3a on ` +
            'the local stack; its CPU seconds and peak RSS are those of the process tree (JVM, Python driver, PySpark workers), ' +
            'sampled every 0.2 s; the stack serving S3 is not included (its CPU is in the note).',
        ]
      : []),
    '',
  ].join('\n');
  const command = `npx tsx bench/transform.bench.ts ${benchArgs.join(' ')}`.trim();
  console.log(`\n### ${title}\n\n\`${command}\`\n\n${section}`);
  // A run with the Spark job is recorded under its own benchmark (its (a) and (b) are the same run's baselines).
  if (!benchArgs.includes('--no-doc')) {
    await recordRun({ benchmark: sparkJob ? 'sparkJob' : 'transform', title, command, targets, body: section });
  }
}

/** A ratio with two decimals, or two significant digits below 0.1 (the Spark job's are ~0.01). */
function share(x: number): string {
  return x >= 0.1 ? x.toFixed(2) : x.toPrecision(2);
}

function render(results: readonly Measure[]): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    '| run | rows | wall s | rows/s | MB/s | CPU s | rows per CPU s | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (m) =>
        `| ${m.name}${m.note ? ` (${m.note})` : ''} | ${n(m.rows)} | ${m.wallSeconds.toFixed(1)} | ${n(m.rows / m.wallSeconds)} | ` +
        `${(m.bytes / 1e6 / m.wallSeconds).toFixed(1)} | ${m.cpuSeconds.toFixed(1)} | ${n(m.rows / m.cpuSeconds)} | ${n(m.peakRssMiB)} |`,
    ),
  ].join('\n');
}

/** Settings of a measuring process. */
interface MeasureSettings {
  /** DuckDB `memory_limit` of the transform and the bare COPY. */
  readonly memory: string;
  /** spark-submit `--driver-memory` of the Spark job. */
  readonly sparkDriverMemory: string;
}

async function measureOne(name: string, file: string, limit: number, settings: MeasureSettings): Promise<Measure> {
  const work = path.join(BENCH_DIR, `work-${name}-${process.pid}`);
  await mkdir(work, { recursive: true });
  const started = performance.now();
  try {
    const done = await run(name, file, limit, settings, work);
    const usage = process.resourceUsage();
    // Checked after the usage is taken, so that its CPU is not the measure's.
    const checked = done.files ? await outOfOrder(done.files) : undefined;
    return {
      name: done.name,
      rows: done.rows,
      bytes: done.bytes,
      note: checked === undefined ? done.note : `${done.note}, ${checked} rows out of sort order`,
      wallSeconds: (performance.now() - started) / 1000,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      peakRssMiB: usage.maxRSS / 1024,
      // A measure of processes other than this one (the Spark job's process tree) replaces this process's.
      ...done.usage,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function run(
  name: string,
  file: string,
  limit: number,
  settings: MeasureSettings,
  work: string,
): Promise<{
  name: string;
  rows: number;
  bytes: number;
  note?: string;
  files?: readonly string[];
  usage?: Pick<Measure, 'wallSeconds' | 'cpuSeconds' | 'peakRssMiB'>;
}> {
  const { size } = await stat(file);
  const { memory } = settings;
  switch (name) {
    case 'transform':
    case 'transform-rss': {
      const result = await transformObjects({
        objects: [
          {
            key: 'exam_results/bench.csv',
            etag: 'bench',
            lastModified: new Date(),
            size,
            path: file,
            uri: 's3://bench/exam_results/bench.csv',
          },
        ],
        previousFiles: async () => [],
        runId: 'jr_bench',
        startedAt: new Date(),
        studentKeySecret: Buffer.alloc(32, 7),
        workDir: work,
        duckdbMemoryLimit: memory,
      });
      const d = result.datasets[0]!;
      const label = name === 'transform' ? '(a) transform' : `(e) transform, ${(size / 1e9).toFixed(1)} GB input`;
      return {
        name: label,
        rows: d.rowsIn,
        bytes: size,
        note: `${d.version?.files.length ?? 0} files, ${d.rejected} rejected`,
        files: d.version?.files.map((f) => f.localPath) ?? [],
      };
    }
    case 'copy': {
      const instance = await DuckDBInstance.create(':memory:', { memory_limit: memory, temp_directory: work });
      const db = await instance.connect();
      const out = path.join(work, 'bare.parquet');
      const copied = await db.runAndReadAll(
        `COPY (SELECT * FROM read_csv('${file}', header = true)) TO '${out}' (FORMAT parquet, COMPRESSION snappy)`,
      );
      db.closeSync();
      instance.closeSync();
      return {
        name: '(b) bare DuckDB read_csv → COPY Parquet',
        rows: Number(copied.getRows()[0]?.[0] ?? 0),
        bytes: size,
      };
    }
    case 'js':
      return jsBaseline(file, limit, path.join(work, 'js.parquet'));
    case 'spark': {
      const rows = Number(/-(\d+)\.csv$/.exec(file)?.[1]);
      const m = await measureSparkJob(file, rows, { work, driverMemory: settings.sparkDriverMemory });
      const n = (x: number) => Math.round(x).toLocaleString('en-US');
      return {
        name: `(f) Spark job, local[2], driver ${settings.sparkDriverMemory}`,
        rows: m.rowsIn,
        bytes: size,
        note:
          `${n(m.written)} written + ${n(m.rejected)} rejected + ${n(m.superseded)} superseded, ${m.partitions} partitions; ` +
          `largest process ${m.largest.command} ${n(m.largest.rssMiB)} MiB; stack serving S3 ${m.stackCpuSeconds.toFixed(1)} CPU s`,
        usage: { wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, peakRssMiB: m.peakRssMiB },
      };
    }
    default:
      throw new Error(`Unknown measure ${name}`);
  }
}

/**
 * Rows of the transform's files that come before the row above them in sort-key order (0: each file is one
 * sorted run, as the curated layout promises).
 */
async function outOfOrder(files: readonly string[]): Promise<number> {
  if (files.length === 0) return 0;
  const keys = EXAM_RESULTS.sortKeys.map((k) => `"${k}"`).join(', ');
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB' });
  const db = await instance.connect();
  try {
    const list = files.map(sqlString).join(', ');
    const reader = await db.runAndReadAll(
      `SELECT count(*) FILTER (WHERE k < p) FROM (SELECT k, lag(k) OVER (PARTITION BY filename ORDER BY ` +
        `file_row_number) AS p FROM (SELECT filename, file_row_number, (${keys}) AS k FROM ` +
        `read_parquet([${list}], filename = true, file_row_number = true)))`,
    );
    return Number(reader.getRows()[0]?.[0] ?? 0);
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** csv-parse + @dsnp/parquetjs, typed columns, on the first `limit` rows. */
async function jsBaseline(file: string, limit: number, out: string) {
  const { parse } = await import('csv-parse');
  const parquet = await import('@dsnp/parquetjs');
  const kinds: Record<string, { type: string; convert: (s: string) => unknown }> = {
    string: { type: 'UTF8', convert: (s) => s },
    integer: { type: 'INT32', convert: (s) => Number.parseInt(s, 10) },
    decimal: { type: 'DOUBLE', convert: (s) => Number(s) },
    boolean: { type: 'BOOLEAN', convert: (s) => ['true', 'yes', '1'].includes(s.toLowerCase()) },
    timestamp: { type: 'TIMESTAMP_MILLIS', convert: (s) => new Date(s) },
  };
  const fields = Object.fromEntries(
    EXAM_RESULTS.columns.map((c) => [c.name, { type: kinds[c.type.kind]!.type, optional: true }]),
  );
  const schema = new parquet.ParquetSchema(fields as never);
  const writer = await parquet.ParquetWriter.openFile(schema, out);
  let rows = 0;
  const stream = createReadStream(file);
  const parser = stream.pipe(parse({ columns: true }));
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    const row: Record<string, unknown> = {};
    for (const c of EXAM_RESULTS.columns) {
      const text = record[c.name];
      if (text !== undefined && text !== '') row[c.name] = kinds[c.type.kind]!.convert(text);
    }
    await writer.appendRow(row);
    if (++rows >= limit) break;
  }
  stream.destroy();
  await writer.close();
  // The bytes of the rows converted, pro rata (the file name carries its row count).
  const fileRows = Number(/-(\d+)\.csv$/.exec(file)?.[1] ?? rows);
  const { size } = await stat(file);
  return { name: '(c) pure JS: csv-parse + parquetjs', rows, bytes: Math.round((size * rows) / fileRows) };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
