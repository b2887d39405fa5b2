import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AthenaQueryEngine } from '../../../api/adapters/athena/AthenaQueryEngine';
import { DynamoDBResultCache } from '../../../api/adapters/dynamodb/DynamoDBResultCache';
import { GlueDataVersions } from '../../../api/adapters/glue/GlueDataVersions';
import { S3ResultStore } from '../../../api/adapters/s3/S3ResultStore';
import type { RunningEntry } from '../../../api/core/CacheEntry';
import { DatasetNotLoadedError, QueryFailedError } from '../../../api/errors';
import { bootstrapResources, LOCAL_RESOURCE_NAMES } from '../../../infra/local/bootstrap';
import { startTestStack, type TestStack } from '../../support/localStack';
import { setDataVersion } from '../../support/setDataVersion';

/** The adapters against the local stack over the real AWS protocols. */
let stack: TestStack;
let clients: { athena: AthenaClient; dynamodb: DynamoDBClient; glue: GlueClient; s3: S3Client };

beforeAll(async () => {
  stack = await startTestStack();
  await bootstrapResources(stack.clientConfig);
  clients = {
    athena: new AthenaClient(stack.clientConfig),
    dynamodb: new DynamoDBClient(stack.clientConfig),
    glue: new GlueClient(stack.clientConfig),
    s3: new S3Client(stack.clientConfig),
  };
});
afterAll(async () => {
  for (const c of Object.values(clients ?? {})) c.destroy();
  await stack?.stop();
});

const running = (key: string, version: string): RunningEntry => ({
  key,
  version,
  status: 'RUNNING',
  scopeFingerprint: 'fp',
  dataVersions: { exam_results: 'v1' },
  query: { sql: 'SELECT 1', parameters: ["'x'"] },
  rowLimit: 10,
  createdAtMs: 1,
  executionId: undefined,
  leaseExpiresAtMs: 2,
  expiresAt: 4_000_000_000,
});

describe('DynamoDBResultCache', () => {
  it('claims an absent key once, and writes or deletes only on the version last seen', async () => {
    const cache = new DynamoDBResultCache(clients.dynamodb, LOCAL_RESOURCE_NAMES.cacheTable);
    expect(await cache.get('k1')).toBeUndefined();
    expect(await cache.put(running('k1', 'a'), undefined)).toBe(true);
    expect(await cache.put(running('k1', 'b'), undefined)).toBe(false);
    expect(await cache.get('k1')).toEqual(running('k1', 'a'));
    expect(await cache.put(running('k1', 'c'), 'stale')).toBe(false);
    expect(await cache.put(running('k1', 'c'), 'a')).toBe(true);
    expect(await cache.delete('k1', 'a')).toBe(false);
    expect(await cache.delete('k1', 'c')).toBe(true);
    expect(await cache.get('k1')).toBeUndefined();
  });
});

describe('S3ResultStore', () => {
  it('reads byte ranges, an empty range past the end, and undefined for a missing object', async () => {
    await clients.s3.send(
      new PutObjectCommand({ Bucket: LOCAL_RESOURCE_NAMES.resultsBucket, Key: 'r/one.csv', Body: 'a,b\n1,2\n3,4\n' }),
    );
    const store = new S3ResultStore(clients.s3);
    const location = `s3://${LOCAL_RESOURCE_NAMES.resultsBucket}/r/one.csv`;
    const chunk = await store.read(location, 4, 4);
    expect(chunk?.bytes.toString()).toBe('1,2\n');
    expect(chunk?.totalBytes).toBe(12);
    expect(await store.read(location, 12, 100)).toEqual({ bytes: Buffer.alloc(0), totalBytes: 12 });
    expect(await store.read(`s3://${LOCAL_RESOURCE_NAMES.resultsBucket}/r/gone.csv`, 0, 10)).toBeUndefined();
  });
});

describe('GlueDataVersions', () => {
  it('reads the data version parameter, caches it for its TTL, and reports a missing table as not loaded', async () => {
    let now = 0;
    const versions = new GlueDataVersions(clients.glue, 'examlake', 1000, () => now);
    const initial = await versions.versionOf('exam_results');
    expect(initial).toMatch(/^schema-/);
    await setDataVersion(clients.glue, 'exam_results', 'jr_new');
    expect(await versions.versionOf('exam_results')).toBe(initial);
    now = 1001;
    expect(await versions.versionOf('exam_results')).toBe('jr_new');
    await expect(versions.versionOf('no_such_table')).rejects.toThrow(DatasetNotLoadedError);
  });
});

describe('AthenaQueryEngine', () => {
  it('runs a query with execution parameters and reports its columns, or translates a refusal', async () => {
    const engine = new AthenaQueryEngine(clients.athena, LOCAL_RESOURCE_NAMES.workGroup);
    const id = await engine.start({
      sql: 'SELECT count(*) AS n, ? AS s FROM examlake.exam_results',
      parameters: ["'x'"],
    });
    let status = await engine.status(id);
    for (let i = 0; i < 200 && (status.state === 'QUEUED' || status.state === 'RUNNING'); i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = await engine.status(id);
    }
    expect(status.state).toBe('SUCCEEDED');
    expect(status.outputLocation).toMatch(/^s3:\/\/examlake-results\/.+\.csv$/);
    expect(await engine.columns(id)).toEqual([
      { name: 'n', type: 'bigint' },
      { name: 's', type: 'varchar' },
    ]);
    const failed = await engine.start({ sql: 'SELECT nope FROM examlake.exam_results', parameters: [] }).then(
      async (bad) => {
        let s = await engine.status(bad);
        for (let i = 0; i < 200 && (s.state === 'QUEUED' || s.state === 'RUNNING'); i++) {
          await new Promise((r) => setTimeout(r, 25));
          s = await engine.status(bad);
        }
        return s;
      },
      (err: unknown) => err,
    );
    if (failed instanceof Error) expect(failed).toBeInstanceOf(QueryFailedError);
    else expect(failed).toMatchObject({ state: 'FAILED', error: { category: 'USER' } });
  });
});
