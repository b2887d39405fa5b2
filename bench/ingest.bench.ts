/**
 * End-to-end ingest throughput on the local stack: the `examlake ingest` code path (`uploadExports`: multipart
 * upload with lib-storage to the raw bucket, the ingest trigger, the Glue job run with the transform, the catalog
 * commit, bookmarks and summary) on generated `exam_results`.
 *
 *   npx tsx bench/ingest.bench.ts [--rows 10000000] [--memory 1GB] [--no-doc]
 *
 * The stack and the client run in this one process, so CPU seconds and peak RSS cover both (the stack's S3,
 * DynamoDB and Glue services, and DuckDB's threads). The input is the cached file of transform.bench.ts.
 */
import { link, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { uploadExports } from '../infra/cli/uploadExports';
import { bootstrapResources } from '../infra/local/bootstrap';
import { wireEtl } from '../infra/local/wireEtl';
import { startTestStack } from '../test/support/localStack';
import { benchArgs, flag, numberFlag } from './commandLine';
import { recordRun, type TargetFigure } from './recordRun';
import { BENCH_DIR, examResultsInput } from './transformInputs';

async function main(): Promise<void> {
  const rows = numberFlag('rows', 10000000);
  const memory = flag('memory', '1GB');
  const input = await examResultsInput(rows);
  const dir = path.join(BENCH_DIR, `ingest-${process.pid}`);
  await mkdir(path.join(dir, 'exam_results'), { recursive: true });
  // A hard link: the file as a regular file under a dataset folder, without copying gigabytes.
  await link(input.file, path.join(dir, 'exam_results', path.basename(input.file)));
  const test = await startTestStack({ duckdbMemoryLimit: memory, dataDir: path.join(dir, 'stack') });
  try {
    await bootstrapResources(test.clientConfig);
    const unwire = wireEtl(test.stack, { batchWindowMs: 250 });
    const before = process.resourceUsage();
    const started = performance.now();
    const outcome = await uploadExports(dir, { clientConfig: test.clientConfig, timeoutSeconds: 7200 });
    const wallSeconds = (performance.now() - started) / 1000;
    const after = process.resourceUsage();
    await test.stack.events.drain();
    unwire();
    if (!outcome.ok) throw new Error(outcome.message);
    const d = outcome.summaries.flatMap((s) => (s.datasets?.exam_results ? [s.datasets.exam_results] : []));
    const rowsIn = d.reduce((n, x) => n + x.rowsIn, 0);
    const written = d.reduce((n, x) => n + x.written, 0);
    const cpuSeconds = (after.userCPUTime - before.userCPUTime + after.systemCPUTime - before.systemCPUTime) / 1e6;
    const n = (x: number) => Math.round(x).toLocaleString('en-US');
    const title = `exam_results, ${n(rows)} rows, ${(input.bytes / 1e9).toFixed(2)} GB CSV`;
    const command = `npx tsx bench/ingest.bench.ts ${benchArgs.join(' ')}`.trim();
    const rowsPerSecond = rowsIn / wallSeconds;
    const targets: TargetFigure[] = [
      {
        target: 'rows/s end to end (upload, trigger, job, catalog)',
        figure: `${n(rowsPerSecond)} rows/s on ${n(rowsIn)} rows (${n(rowsIn / cpuSeconds)} rows per CPU s)`,
        goal: '≥ 800,000 rows/s',
        met: rowsPerSecond >= 800_000,
      },
    ];
    const section = [
      `\`uploadExports\` (what \`examlake ingest\` runs) against the local stack in the same process; DuckDB memory limit ${memory}.`,
      '',
      '| run | rows in | written | wall s | rows/s | MB/s | CPU s | rows per CPU s | peak RSS MiB |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| (d) ingest: upload, trigger, job, catalog | ${n(rowsIn)} | ${n(written)} | ${wallSeconds.toFixed(1)} | ${n(rowsIn / wallSeconds)} | ${(input.bytes / 1e6 / wallSeconds).toFixed(1)} | ${cpuSeconds.toFixed(1)} | ${n(rowsIn / cpuSeconds)} | ${n(after.maxRSS / 1024)} |`,
      '',
      `Runs: ${outcome.summaries.length}. Target: ≥ 800,000 rows/s end to end.`,
      '',
    ].join('\n');
    console.log(`\n### ${title}\n\n\`${command}\`\n\n${section}`);
    if (!benchArgs.includes('--no-doc'))
      await recordRun({ benchmark: 'ingest', title, command, targets, body: section });
  } finally {
    await test.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
