/**
 * Cache hit vs miss through the local gateway, recorded in docs/benchmarks.md.
 *
 *   npx tsx bench/apiCache.bench.ts [--schools 4] [--seconds 10]
 *
 * - cold (miss) latency of each report: distinct `from` dates give distinct keys, so each request runs the engine;
 * - cache-hit throughput and latency with autocannon (50 connections) against a bare Node `http` server
 *   returning the same bytes (the baseline of the same run);
 * - 200 concurrent identical cold requests: executions started (must be 1) and all answered.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import autocannon from 'autocannon';
import { bootstrapResources } from '../infra/local/bootstrap';
import { startLocalApi } from '../infra/local/gateway/startLocalApi';
import { LocalIssuer } from '../infra/local/identity/LocalIssuer';
import { buildCuratedFixture } from '../test/api/support/curatedFixture';
import { startTestStack } from '../test/support/localStack';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SCHOOLS = arg('schools', 4);
const SECONDS = arg('seconds', 10);

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main(): Promise<void> {
  // One EMF line per request on stdout would measure the terminal, not the API.
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  const stack = await startTestStack({ duckdbMemoryLimit: '1GB' });
  const fixtureRoot = await mkdtemp(path.join(os.tmpdir(), 'examlake-bench-'));
  try {
    await bootstrapResources(stack.clientConfig);
    const fixture = await buildCuratedFixture(fixtureRoot, {
      seed: 'bench',
      schools: SCHOOLS,
      classesPerGrade: 2,
      studentsPerClass: 24,
    });
    const api = await startLocalApi({
      port: 0,
      stackEndpoint: stack.endpoint,
      dataDir: stack.dataDir,
      settings: { pollIntervalMs: 10, queryWaitMs: 60_000, logLevel: 'SILENT' },
    });
    try {
      for (const key of fixture.keys) {
        await api.clients.s3.send(
          new PutObjectCommand({
            Bucket: 'examlake-curated',
            Key: key,
            Body: await readFile(path.join(fixture.root, fixture.bucket, key)),
          }),
        );
      }
      const token = await (await LocalIssuer.open(stack.dataDir)).mint({ role: 'analyst', ttlSeconds: 86_400 });
      const headers = { authorization: `Bearer ${token}` };
      const exam = [...fixture.itemsByExam.keys()].sort()[0]!;
      const reports: Record<string, string> = {
        'school-summary': 'schoolId=SCH-0001',
        'score-distribution': `examId=${exam}`,
        'subject-trends': '',
        'item-analysis': `examId=${exam}`,
        'class-comparison': 'schoolId=SCH-0001',
        'student-progress': 'studentId=STU-000001',
      };
      const timed = async (url: string) => {
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 300)}`);
        return { ms: performance.now() - t0, cache: res.headers.get('x-examlake-cache'), bytes: body };
      };
      const lines: string[] = [];
      lines.push('| report | cold median ms | cold p95 ms | hit median ms | hit p95 ms |', '|---|---|---|---|---|');
      for (const [id, params] of Object.entries(reports)) {
        const cold: number[] = [];
        const hot: number[] = [];
        for (let day = 1; day <= 12; day++) {
          const url = `${api.url}/v1/reports/${id}?${params}${params ? '&' : ''}from=2025-08-${String(day).padStart(2, '0')}`;
          const miss = await timed(url);
          if (miss.cache !== 'miss') throw new Error(`${url} was a ${miss.cache}, expected a miss`);
          cold.push(miss.ms);
          hot.push((await timed(url)).ms);
        }
        lines.push(
          `| ${id} | ${percentile(cold, 50).toFixed(1)} | ${percentile(cold, 95).toFixed(1)} | ${percentile(hot, 50).toFixed(1)} | ${percentile(hot, 95).toFixed(1)} |`,
        );
      }

      const hitUrl = `${api.url}/v1/reports/school-summary?schoolId=SCH-0001`;
      const sample = await timed(hitUrl);
      const bare = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(sample.bytes);
      });
      await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
      const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
      const cannon = (url: string) =>
        autocannon({ url, connections: 50, duration: SECONDS, headers }) as unknown as Promise<autocannon.Result>;
      const baseline = await cannon(bareUrl);
      const hits = await cannon(hitUrl);
      bare.close();

      const countExecutions = async () => {
        let n = 0;
        let NextToken: string | undefined;
        do {
          const out = await api.clients.athena.send(
            new ListQueryExecutionsCommand({ WorkGroup: 'examlake', NextToken }),
          );
          n += out.QueryExecutionIds?.length ?? 0;
          NextToken = out.NextToken;
        } while (NextToken);
        return n;
      };
      const before = await countExecutions();
      const stampedeUrl = `${api.url}/v1/reports/subject-trends?schoolId=SCH-0002`;
      const t0 = performance.now();
      const stampede = await Promise.all(Array.from({ length: 200 }, () => fetch(stampedeUrl, { headers })));
      const stampedeMs = performance.now() - t0;
      const answered = stampede.filter((r) => r.status === 200).length;
      await Promise.all(stampede.map((r) => r.arrayBuffer()));
      const started = (await countExecutions()) - before;

      const ratio = (hits.requests.average / baseline.requests.average) * 100;
      const section = [
        '## API cache: hit vs miss (`bench/apiCache.bench.ts`)',
        '',
        `Run ${new Date().toISOString()}: ${SCHOOLS} generated schools (${fixture.keys.length} curated Parquet files), local stack, local gateway, analyst token;`,
        `${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end (other processes share the machine).`,
        'Cold = a distinct key per request (the engine runs); hit = the same URL again (the entry memo and page LRU of the instance; DynamoDB + S3 on another instance).',
        '',
        ...lines,
        '',
        `Cache hits under load (autocannon, 50 connections, ${SECONDS} s): **${hits.requests.average.toFixed(0)} req/s**, p50 ${hits.latency.p50} ms, p99 ${hits.latency.p99} ms;`,
        `bare Node http server with the same bytes: ${baseline.requests.average.toFixed(0)} req/s, p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms`,
        `(hits reach ${ratio.toFixed(0)}% of the baseline; target ≥ 30% with p99 ≤ 15 ms). Errors: ${hits.errors + hits.non2xx}.`,
        '',
        `200 concurrent identical cold requests: ${started} engine execution(s), ${answered}/200 answered 200 in ${stampedeMs.toFixed(0)} ms.`,
        '',
      ].join('\n');
      console.log(section);
      const docs = path.resolve(__dirname, '../docs/benchmarks.md');
      const current = await readFile(docs, 'utf8');
      const start = current.indexOf('## API cache: hit vs miss');
      const next = start < 0 ? -1 : current.indexOf('\n## ', start + 1);
      const updated =
        start < 0
          ? `${current.trimEnd()}\n\n${section}`
          : `${current.slice(0, start)}${section}${next < 0 ? '' : current.slice(next + 1)}`;
      await writeFile(docs, updated);
    } finally {
      await api.close();
    }
  } finally {
    await stack.stop();
    await rm(fixtureRoot, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
