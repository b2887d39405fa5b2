import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { collectExports } from '../../../etl/orchestration/collectExports';
import { EtlConfigurationError, etlEnvironment, loadEtlConfig } from '../../../etl/orchestration/etlConfig';
import { eventsOf } from '../../../etl/orchestration/IngestTrigger';
import { main } from '../../../infra/cli/main';
import { writeStackRecord } from '../../../infra/cli/stackRecord';
import { LOCAL_ETL_CONFIG } from '../../../infra/local/wireEtl';
import { type EtlTestStack, startEtlStack } from '../support/etlStack';
import { examResultsCsv, examRow } from '../support/examResultsCsv';

// Generous on a loaded two-core machine; each step normally takes seconds.
jest.setTimeout(180_000);

let etl: EtlTestStack;
let dir: string;

beforeAll(async () => {
  etl = await startEtlStack();
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-ingest-'));
  await mkdir(path.join(dir, 'exports', 'exam_results'), { recursive: true });
  await writeFile(
    path.join(dir, 'exports', 'exam_results', 'a.csv'),
    examResultsCsv([examRow(), examRow({ grade_level: '13' })]),
  );
  await writeFile(path.join(dir, 'exports', 'loose.csv'), examResultsCsv([examRow()], { bom: true, eol: '\r\n' }));
  await writeFile(path.join(dir, 'exports', 'empty.csv'), '');
  await writeFile(path.join(dir, 'exports', 'colours.csv'), 'colour,size\nred,3\n');
});

afterAll(async () => {
  await etl.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  process.exitCode = 0;
  try {
    await main(['node', 'examlake', ...args]);
    return { out: out.join('\n'), err: err.join('\n'), code: Number(process.exitCode ?? 0) };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = 0;
  }
}

describe('examlake ingest', () => {
  it('uploads what it can accept, waits for the run, prints the summary and names what it refused', async () => {
    const port = new URL(etl.test.endpoint).port;
    const result = await cli(
      'ingest',
      path.join(dir, 'exports'),
      '--port',
      port,
      '--no-progress',
      '--timeout-seconds',
      '60',
    );
    expect(result.out).toContain('Uploaded 2 files');
    expect(result.out).toMatch(/exam_results: 3 rows in = 2 written \+ 1 rejected \+ 0 superseded/);
    expect(result.out).toContain('OUT_OF_RANGE 1');
    expect(result.err).toContain('empty.csv: EMPTY_FILE');
    expect(result.err).toMatch(/colours\.csv: UNKNOWN_DATASET\. The header matches no declared dataset/);
    expect(result.code).toBe(1);
    expect(await etl.runs.bookmark(LOCAL_ETL_CONFIG.rawBucket, 'exam_results/loose.csv')).toMatchObject({
      outcome: 'LOADED',
      rowsIn: 1,
    });
  });
});

describe('examlake ingest finds the stack', () => {
  const saved: Record<string, string | undefined> = {};
  let recordPath: string;
  beforeAll(() => {
    recordPath = path.join(dir, 'record', 'stack.json');
    for (const name of ['EXAMLAKE_STACK_RECORD', 'EXAMLAKE_STACK_PORT', 'EXAMLAKE_DATA_DIR', 'AWS_ENDPOINT_URL']) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    process.env['EXAMLAKE_STACK_RECORD'] = recordPath;
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('uses the endpoint the running stack recorded, then says a second upload of the same file loads nothing', async () => {
    const remove = await writeStackRecord(
      { endpoint: etl.test.endpoint, apiUrl: null, dataDir: etl.test.dataDir, region: 'us-east-1' },
      recordPath,
    );
    try {
      await mkdir(path.join(dir, 'again', 'exam_results'), { recursive: true });
      const file = path.join(dir, 'again', 'exam_results', 'b.csv');
      await writeFile(file, examResultsCsv([examRow({ result_id: 'again-1' })]));
      const first = await cli('ingest', file, '--no-progress', '--timeout-seconds', '60');
      expect(first.out).toContain(`Using the local stack on ${etl.test.endpoint}`);
      expect(first.out).toMatch(/exam_results: 1 rows in = 1 written/);
      const second = await cli('ingest', file, '--no-progress', '--timeout-seconds', '60');
      expect(second.out).toMatch(/Every file was already loaded, unchanged \(by run jr_\w+\): nothing new to load\./);
      expect(second.out).not.toMatch(/rows in =/);
      expect(second.out).not.toContain('Uploaded');
      expect(second.code).toBe(0);
    } finally {
      await remove();
    }
  });

  it('names the flag to add when no stack answers', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const result = await cli('ingest', path.join(dir, 'exports'), '--port', String(port), '--no-progress');
    expect(result.err).toContain(`No local stack answers on http://127.0.0.1:${port}.`);
    expect(result.err).toContain('add --port <port>');
    expect(result.err).not.toContain('ECONNREFUSED');
    expect(result.code).toBe(1);
  });
});

describe('collectExports', () => {
  it('keys files by their dataset folder, or by the dataset their header fits', async () => {
    const { exports, unacceptable } = await collectExports(path.join(dir, 'exports'));
    expect(exports.map((e) => e.key).sort()).toEqual(['exam_results/a.csv', 'exam_results/loose.csv']);
    expect(unacceptable.map((u) => u.reason).sort()).toEqual(['EMPTY_FILE', 'UNKNOWN_DATASET']);
  });

  it('refuses a file whose header does not fit the named dataset', async () => {
    const { exports, unacceptable } = await collectExports(path.join(dir, 'exports', 'loose.csv'), 'item_responses');
    expect(exports).toEqual([]);
    expect(unacceptable[0]).toMatchObject({ reason: 'MISSING_COLUMNS' });
  });
});

describe('the ETL handlers', () => {
  it('read their configuration once and name a missing variable', () => {
    const env = etlEnvironment(LOCAL_ETL_CONFIG);
    expect(loadEtlConfig(env)).toEqual(LOCAL_ETL_CONFIG);
    expect(() => loadEtlConfig({ ...env, EXAMLAKE_RUNS_TABLE: '' })).toThrow(
      new EtlConfigurationError('Set EXAMLAKE_RUNS_TABLE (the runsTable the ETL uses).'),
    );
  });

  it('take S3 events one by one from EventBridge or batched through SQS', () => {
    const event = {
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: 'b' }, object: { key: 'k' } },
    };
    expect(eventsOf(event)).toEqual([event]);
    expect(eventsOf({ Records: [{ body: JSON.stringify(event) }, { body: JSON.stringify(event) }] })).toEqual([
      event,
      event,
    ]);
    expect(eventsOf({ unrelated: true })).toEqual([]);
  });
});
