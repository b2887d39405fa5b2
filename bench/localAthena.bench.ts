/**
 * Local Athena benchmark: a school-scoped aggregate over a generated 10-million-row Parquet table
 * (partitioned by year/month, sorted by school_id and exam_id inside files, like the curated tables),
 * (a) run by DuckDB in process on the same stored files (the baseline), and (b) through the Athena API with
 * the SDK (StartQueryExecution, polling GetQueryExecution, first page of GetQueryResults).
 * Prints median and p95 of each and the protocol overhead (b − a), and records the run in bench/history/localAthena.jsonl (docs/benchmarks.md shows the latest).
 *
 *   npx tsx bench/localAthena.bench.ts [--rows 10000000] [--runs 30] [--poll-ms 5] [--api-poll-ms 10,100]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../etl/sql/sqlText';
import { LOCAL_CREDENTIALS, localStackConfig } from '../infra/local/config';
import { LocalStack } from '../infra/local/LocalStack';
import { partitionedTable } from '../test/infra/local/athena/directoryFixtures';
import { flag, numberFlag } from './commandLine';
import { recordRun, type TargetFigure } from './recordRun';

const ROWS = numberFlag('rows', 10_000_000);
const RUNS = numberFlag('runs', 30);
const SQL =
  'SELECT exam_id, count(*) AS attempts, avg(score) AS mean_score, sum(CASE WHEN passed THEN 1 ELSE 0 END) AS passed ' +
  'FROM results WHERE school_id = ? AND year = 2025 GROUP BY exam_id ORDER BY exam_id';
const SCHOOL = 'S0042';
/** Pause between GetQueryExecution polls of (b): a tight client, so (b − a) is the protocol's overhead. */
const POLL_MS = numberFlag('poll-ms', 5);
/**
 * First intervals of the API's own poll policy (api/core/QueryService: a poll at once, then doubling up to 1 s)
 * measured as (b′): 100 ms is EXAMLAKE_POLL_INTERVAL_MS's default, 10 ms what bench/apiCache.bench.ts sets.
 */
const API_POLL_MS = flag('api-poll-ms', '10,100').split(',').map(Number);

function stats(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { median: at(0.5), p95: at(0.95) };
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'examlake-bench-athena-'));
  const stack = await LocalStack.create(localStackConfig({ port: 0, dataDir: path.join(work, 'data') }));
  const clientConfig = { endpoint: stack.endpoint, region: 'us-east-1', credentials: { ...LOCAL_CREDENTIALS } };
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  const glue = new GlueClient(clientConfig);
  const athena = new AthenaClient(clientConfig);
  try {
    console.log(`Generating ${ROWS.toLocaleString('en')} rows of Parquet in 12 monthly partitions…`);
    const gen = await DuckDBInstance.create(':memory:');
    const g = await gen.connect();
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-lake' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-results' }));
    const perMonth = Math.ceil(ROWS / 12);
    for (let month = 1; month <= 12; month++) {
      const file = path.join(work, `m${month}.parquet`);
      await g.run(
        `COPY (SELECT 'S' || lpad(CAST(hash(i, ${month}) % 500 AS VARCHAR), 4, '0') AS school_id, ` +
          `'E' || lpad(CAST((i // 3) % 40 AS VARCHAR), 3, '0') AS exam_id, 'R${month}-' || i AS result_id, ` +
          `CAST((i * 31) % 1000 AS DECIMAL(7,2)) / 10 AS score, (i * 31) % 1000 >= 500 AS passed, ` +
          `TIMESTAMP '2025-${String(month).padStart(2, '0')}-01' + to_seconds(i % 2000000) AS submitted_at ` +
          `FROM range(${perMonth}) t(i) ORDER BY school_id, exam_id) TO '${file}' (FORMAT parquet, COMPRESSION snappy)`,
      );
      await new Upload({
        client: s3,
        params: {
          Bucket: 'bench-lake',
          Key: `results/year=2025/month=${String(month).padStart(2, '0')}/part-0.parquet`,
          Body: await readFile(file),
        },
      }).done();
      await rm(file);
    }
    g.closeSync();
    gen.closeSync();
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'bench' } }));
    await glue.send(
      new CreateTableCommand({
        DatabaseName: 'bench',
        TableInput: partitionedTable('results', 's3://bench-lake/results/', [
          ['school_id', 'string'],
          ['exam_id', 'string'],
          ['result_id', 'string'],
          ['score', 'decimal(7,2)'],
          ['passed', 'boolean'],
          ['submitted_at', 'timestamp'],
        ]),
      }),
    );

    // (a) Baseline: DuckDB in process over the same stored files, with the same prepared statement.
    const files = await stack.s3.files.list('bench-lake', 'results/');
    const base = await DuckDBInstance.create(':memory:', { memory_limit: stack.config.duckdbMemoryLimit });
    const plain = await base.connect();
    const profiled = await base.connect();
    const profileFile = path.join(work, 'profile.json');
    await profiled.run("SET enable_profiling = 'json'");
    await profiled.run(`SET profiling_output = '${profileFile}'`);
    await plain.run(
      `CREATE VIEW results AS ${files
        .map((f, i) => `SELECT *, 2025 AS year, ${i + 1} AS month FROM read_parquet(${sqlString(f.path)})`)
        .join(' UNION ALL ')}`,
    );
    let directRows = 0;
    const direct = async (connection: DuckDBConnection, school: string) => {
      const statement = await connection.prepare(SQL);
      statement.bindVarchar(1, school);
      directRows = (await statement.runAndReadAll()).getRows().length;
      if (connection === profiled) JSON.parse(await readFile(profileFile, 'utf8'));
    };

    // (b) Through the Athena API with the SDK: start, poll until SUCCEEDED, first page.
    let apiRows = 0;
    let scanned = 0;
    const phases: Record<string, number[]> = { start: [], queue: [], engine: [], service: [], seen: [], page: [] };
    const viaApi = async (school: string, poll: (attempt: number) => number, trace: boolean) => {
      const t0 = performance.now();
      const { QueryExecutionId } = await athena.send(
        new StartQueryExecutionCommand({
          QueryString: SQL,
          QueryExecutionContext: { Database: 'bench' },
          ResultConfiguration: { OutputLocation: 's3://bench-results/' },
          ExecutionParameters: [`'${school}'`],
        }),
      );
      const tStarted = performance.now();
      let statistics: Record<string, number | undefined> = {};
      for (let attempt = 0; ; attempt++) {
        const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
        const state = QueryExecution?.Status?.State;
        if (state === 'SUCCEEDED') {
          scanned = QueryExecution?.Statistics?.DataScannedInBytes ?? 0;
          statistics = { ...QueryExecution?.Statistics } as Record<string, number | undefined>;
          break;
        }
        if (state !== 'QUEUED' && state !== 'RUNNING')
          throw new Error(`Query ${state}: ${QueryExecution?.Status?.StateChangeReason}`);
        await new Promise((resolve) => setTimeout(resolve, poll(attempt)));
      }
      const tSeen = performance.now();
      const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 1000 }));
      apiRows = (page.ResultSet?.Rows?.length ?? 1) - 1;
      const tEnd = performance.now();
      if (trace) {
        phases.start?.push(tStarted - t0);
        phases.queue?.push(statistics.QueryQueueTimeInMillis ?? 0);
        phases.engine?.push(statistics.EngineExecutionTimeInMillis ?? 0);
        phases.service?.push(statistics.ServiceProcessingTimeInMillis ?? 0);
        phases.seen?.push(tSeen - t0 - (statistics.TotalExecutionTimeInMillis ?? 0));
        phases.page?.push(tEnd - tSeen);
      }
    };
    /** The API's poll policy (QueryService): first poll at once, then the interval, doubling up to 1 s. */
    const apiPolicy = (firstMs: number) => (attempt: number) => Math.min(firstMs * 2 ** attempt, 1000);

    // Interleaved, so a change of load on the shared machine moves every series alike.
    const series = {
      a: { label: '(a) DuckDB in process (baseline)', samples: [] as number[] },
      aProfiled: {
        label: '(a′) DuckDB in process with a JSON profile (written, read, parsed)',
        samples: [] as number[],
      },
      b: { label: `(b) Athena API via SDK: start, poll every ${POLL_MS} ms, first page`, samples: [] as number[] },
      bNew: { label: '(b″) as (b), a different school each run (its scan is profiled)', samples: [] as number[] },
      ...Object.fromEntries(
        API_POLL_MS.map((ms) => [
          `api${ms}`,
          {
            label: `(b′) as (b), the API's poll policy from ${ms} ms (at once, then ${ms}, ${2 * ms}, … ms)`,
            samples: [] as number[],
          },
        ]),
      ),
    } as Record<string, { label: string; samples: number[] }>;
    /** CPU ms of the whole process (every thread: DuckDB's, the SDK client's and the stack's) per run. */
    const cpu: Record<string, number[]> = {};
    const timed = async (name: string, i: number, run: () => Promise<void>) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await run();
      const elapsed = performance.now() - t0;
      const used = process.cpuUsage(c0);
      if (i >= 3) {
        series[name]?.samples.push(elapsed);
        cpu[name] = [...(cpu[name] ?? []), (used.user + used.system) / 1000];
      }
    };
    for (let i = 0; i < RUNS + 3; i++) {
      await timed('a', i, () => direct(plain, SCHOOL));
      await timed('aProfiled', i, () => direct(profiled, SCHOOL));
      await timed('b', i, () => viaApi(SCHOOL, () => POLL_MS, i >= 3));
      await timed('bNew', i, () => viaApi(`S${String(100 + i).padStart(4, '0')}`, () => POLL_MS, false));
      for (const ms of API_POLL_MS) await timed(`api${ms}`, i, () => viaApi(SCHOOL, apiPolicy(ms), false));
    }
    for (const connection of [plain, profiled]) connection.closeSync();
    base.closeSync();
    if (apiRows !== directRows) throw new Error(`Row counts differ: API ${apiRows}, DuckDB ${directRows}`);

    const a = stats(series.a?.samples ?? []);
    const api = stats(series.b?.samples ?? []);
    const overhead = api.median - a.median;
    const fmt = (n: number) => n.toFixed(1);
    const lines = Object.entries(series).map(([name, { label, samples }]) => {
      const { median, p95 } = stats(samples);
      return `| ${label} | ${fmt(median)} | ${fmt(p95)} | ${fmt(stats(cpu[name] ?? []).median)} |`;
    });
    const cpuOverhead = stats(cpu.b ?? []).median - stats(cpu.a ?? []).median;
    lines.push(`| overhead (b − a), median | ${fmt(overhead)} | | ${fmt(cpuOverhead)} |`);
    const phaseLine = `Phases of (b), medians in ms: ${Object.entries(phases)
      .map(([name, samples]) => `${name} ${fmt(stats(samples).median)}`)
      .join(
        ', ',
      )} (start = StartQueryExecution round trip; queue, engine, service = the execution's Statistics; seen = from completion to the client seeing SUCCEEDED; page = GetQueryResults).`;
    const targets: TargetFigure[] = [
      {
        target: 'overhead of the Athena API over in-process DuckDB, median',
        figure: `${fmt(overhead)} ms (${fmt(api.median)} against ${fmt(a.median)} ms)`,
        goal: '≤ 10 ms',
        met: overhead <= 10,
      },
      {
        target: 'end to end through the Athena API, median',
        figure: `${fmt(api.median)} ms`,
        goal: '≤ 150 ms',
        met: api.median <= 150,
      },
    ];
    console.log(
      `\n${ROWS.toLocaleString('en')} rows, ${RUNS} runs each, ${directRows} result rows, ${scanned} bytes scanned`,
    );
    console.log('| measure | median ms | p95 ms | CPU ms (median) |\n|---|---|---|---|');
    for (const line of lines) console.log(line);
    console.log(phaseLine);
    console.log(
      `targets: ${targets.map((t) => `${t.target} ${t.figure} (${t.goal}: ${t.met ? 'met' : 'MISSED'})`).join('; ')}`,
    );
    const section = [
      `${ROWS.toLocaleString('en')} rows in 12 monthly Parquet files, ` +
        `${RUNS} interleaved runs of each after 3 warm-ups; query \`${SQL}\` with \`${SCHOOL}\`; ${directRows} result rows; ` +
        `DataScannedInBytes ${scanned.toLocaleString('en')}.`,
      '',
      '| measure | median ms | p95 ms | CPU ms (median) |',
      '|---|---|---|---|',
      ...lines,
      '',
      phaseLine,
      '',
    ];
    console.log(section.join('\n'));
    await recordRun({
      benchmark: 'localAthena',
      title: `${ROWS.toLocaleString('en')} rows, ${RUNS} runs`,
      command: `npx tsx bench/localAthena.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
      targets,
      body: section.join('\n'),
    });
  } finally {
    for (const client of [s3, glue, athena]) client.destroy();
    await stack.close();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
