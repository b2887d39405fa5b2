/**
 * Transform throughput against a bare DuckDB baseline on the same files.
 *
 *   npx tsx bench/transform.bench.ts [--schools 20] [--keep]
 *
 * Generates item_responses exports (the large dataset), runs the transform core (`transformObjects`: split,
 * validate, stage, dedup, sort, one file per partition, read-back reconciliation) and, as the near-limit
 * reference, DuckDB's `COPY (SELECT * FROM read_csv(...)) TO ... (FORMAT parquet)` of the same files. Prints
 * rows/s, MB/s and peak RSS, and appends them to docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateSampleData } from '../etl/generate/generateSampleData';
import type { RawObject } from '../etl/transform/readRawObject';
import { transformObjects } from '../etl/transform/transformObjects';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const schools = Number(args[args.indexOf('--schools') + 1] ?? 20) || 20;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-bench-'));
  try {
    console.log(`Generating ${schools} schools into ${dir}…`);
    await generateSampleData(path.join(dir, 'in'), { seed: 'bench', schools });
    const folder = path.join(dir, 'in', 'item_responses');
    const names = (await readdir(folder)).filter((n) => n.endsWith('.csv') && !n.includes('corrections')).sort();
    const objects: RawObject[] = [];
    for (const name of names) {
      const file = path.join(folder, name);
      const info = await stat(file);
      objects.push({
        key: `item_responses/${name}`,
        etag: name,
        lastModified: info.mtime,
        size: info.size,
        path: file,
        uri: `s3://bench/item_responses/${name}`,
      });
    }
    const bytes = objects.reduce((n, o) => n + o.size, 0);

    const baselineCpu = process.cpuUsage();
    const baselineStart = performance.now();
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB' });
    const db = await instance.connect();
    const list = objects.map((o) => `'${o.path.replace(/'/g, "''")}'`).join(', ');
    const copied = await db.runAndReadAll(
      `COPY (SELECT * FROM read_csv([${list}], header = true)) TO '${path.join(dir, 'baseline.parquet')}' (FORMAT parquet)`,
    );
    const baselineRows = Number(copied.getRows()[0]?.[0] ?? 0);
    db.closeSync();
    instance.closeSync();
    const baselineSeconds = (performance.now() - baselineStart) / 1000;
    const baselineCpuSeconds = cpuSeconds(process.cpuUsage(baselineCpu));

    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await transformObjects({
      objects,
      previousFiles: async () => [],
      runId: 'jr_bench',
      startedAt: new Date(),
      studentKeySecret: randomBytes(32),
      workDir: path.join(dir, 'work'),
      duckdbMemoryLimit: '1GB',
    });
    const seconds = (performance.now() - start) / 1000;
    const transformCpuSeconds = cpuSeconds(process.cpuUsage(cpu));
    const d = result.datasets[0]!;
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;

    const rate = (rows: number, s: number) => Math.round(rows / s).toLocaleString('en-US');
    const mbps = (s: number) => (bytes / 1e6 / s).toFixed(1);
    const lines = [
      `| transform (transformObjects) | ${d.rowsIn.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${rate(d.rowsIn, seconds)} | ${mbps(seconds)} | ${transformCpuSeconds.toFixed(1)} | ${rate(d.rowsIn, transformCpuSeconds)} |`,
      `| baseline: DuckDB read_csv → COPY Parquet | ${baselineRows.toLocaleString('en-US')} | ${baselineSeconds.toFixed(1)} | ${rate(baselineRows, baselineSeconds)} | ${mbps(baselineSeconds)} | ${baselineCpuSeconds.toFixed(1)} | ${rate(baselineRows, baselineCpuSeconds)} |`,
    ];
    const ratio = (d.rowsIn / seconds / (baselineRows / baselineSeconds)).toFixed(2);
    const section = [
      '',
      `## Transform, ${new Date().toISOString().slice(0, 10)} (${schools} schools, item_responses, ${(bytes / 1e6).toFixed(0)} MB CSV, ${objects.length} files)`,
      '',
      '`npx tsx bench/transform.bench.ts --schools ' + schools + '`',
      '',
      '| run | rows | wall s | rows/s (wall) | MB/s (wall) | CPU s | rows per CPU s |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...lines,
      '',
      `Transform / baseline (wall): ${ratio}. Peak RSS of the process: ${peakRssMiB.toFixed(0)} MiB. Load average during the`,
      `run: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores (CPU seconds are the fairer figure on a shared machine). The transform also validates`,
      'every field in JavaScript, rejects and deduplicates, sorts and writes one file per partition, and reads its',
      'output back to reconcile; the baseline only parses and converts.',
      '',
    ].join('\n');
    console.log(section);
    await appendFile(path.join(__dirname, '..', 'docs', 'benchmarks.md'), section);
  } finally {
    if (!args.includes('--keep')) await rm(dir, { recursive: true, force: true });
  }
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
