import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AuditLog } from '../../api/audit/AuditLog';
import { TokenVerifier } from '../../api/auth/TokenVerifier';
import { apiConfig } from '../../api/config';
import { QueryService } from '../../api/core/QueryService';
import { ResultPages } from '../../api/core/ResultPages';
import { type Api, createApi } from '../../api/createApi';
import { QueryRunner } from '../../api/operations/QueryRunner';
import type { EngineQuery } from '../../api/ports/QueryEngine';
import { LocalIssuer } from '../../infra/local/identity/LocalIssuer';
import { FakeEngine, FixedVersions, MemoryCache, MemoryStore } from './support/memoryPorts';

/** The fake engine, finishing each execution as it starts (the first request is a completed miss). */
class FinishingEngine extends FakeEngine {
  override async start(query: EngineQuery): Promise<string> {
    const id = await super.start(query);
    this.finishAll();
    return id;
  }
}

/**
 * The cache-hit reuse contract. A repeated request (same token, same grant, same report and parameters, same data
 * versions) is answered by reusing one object per stage instead of rebuilding it:
 *
 * ```
 * token ─▶ Caller (TokenVerifier: verified-token LRU + WeakMap per claims)
 *       ─▶ Scope (scopeResolver: WeakMap per Caller and grant object)
 *       ─▶ QueryRequest (reportOperations: LRU by scope fingerprint, report and parameters)
 *       ─▶ key (QueryService.keyOf: WeakMap per QueryRequest and data versions)
 *       ─▶ SucceededEntry (QueryService memo: LRU by key, no DynamoDB read)
 *       ─▶ rendered page (ResultResponder: LRU of rendered hit answers, no S3 read)
 * ```
 *
 * Answers stay correct if a stage rebuilds its object, but every hit gets slower, and only the API cache
 * benchmark would notice. This test notices: each expectation names the stage that stopped reusing its object.
 * Everything is real except the AWS ports, which are the in-memory fakes of `support/memoryPorts`.
 */

const CSV = '"exam_id","attempts"\n"MAT-G05-2025-AUT",12\n';

let dataDir: string;
let issuer: LocalIssuer;
let api: Api;
let store: MemoryStore;
let cache: MemoryCache;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-hit-reuse-'));
  issuer = await LocalIssuer.open(dataDir);
  store = new MemoryStore();
  cache = new MemoryCache();
  const engine = new FinishingEngine(store, CSV, [
    { name: 'exam_id', type: 'varchar' },
    { name: 'attempts', type: 'bigint' },
  ]);
  // Clients that are never called (every port is injected); built so the composition root builds none of its own.
  const unused = {
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  };
  api = await createApi(
    apiConfig({
      cacheTable: 'cache',
      runsTable: 'runs',
      grantsTable: 'grants',
      resultsBucket: 'results',
      workGroup: 'wg',
      signingKeySecretId: 'examlake/api-signing-key',
      pollIntervalMs: 1,
    }),
    {
      authenticator: TokenVerifier.fromConfig(issuer.authConfig()),
      clients: {
        athena: new AthenaClient(unused),
        dynamodb: new DynamoDBClient(unused),
        glue: new GlueClient(unused),
        s3: new S3Client(unused),
        secretsManager: new SecretsManagerClient(unused),
      },
      telemetry: {
        logger: new Logger({ serviceName: 'examlake-api', logLevel: 'ERROR' }),
        metrics: new Metrics({ namespace: 'examlake', serviceName: 'examlake-api' }),
        tracer: undefined as never,
        audit: new AuditLog({ write: () => {} }),
      },
      ports: {
        engine,
        cache,
        store,
        versions: new FixedVersions({ exam_results: 'run-1' }),
        runs: { lastRun: async () => undefined },
        signingKeys: { keyRing: async () => ({ current: 'k'.repeat(32), previous: undefined }) },
        grants: {
          get: async () => undefined,
          put: async () => {
            throw new Error('no grant writes in this test');
          },
          delete: async () => undefined,
        },
      },
    },
  );
});

afterAll(async () => {
  jest.restoreAllMocks();
  for (const client of Object.values(api.clients)) client.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

function reportEvent(token: string): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    path: '/v1/reports/school-summary',
    headers: { Authorization: `Bearer ${token}` },
    multiValueHeaders: {},
    queryStringParameters: { schoolId: 'SCH-0001' },
    multiValueQueryStringParameters: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: `req-${Math.random()}`, path: '/v1/reports/school-summary' },
  } as unknown as APIGatewayProxyEvent;
}

describe('the cache-hit reuse contract', () => {
  it('answers a repeated request by reusing the object of every stage of the hit path', async () => {
    const authenticate = jest.spyOn(TokenVerifier.prototype, 'authenticate');
    const run = jest.spyOn(QueryRunner.prototype, 'run');
    const keyOf = jest.spyOn(QueryService.prototype, 'keyOf');
    const answer = jest.spyOn(QueryService.prototype, 'answer');
    const pageReads = jest.spyOn(ResultPages.prototype, 'read');
    const token = await issuer.mint({ role: 'analyst' });

    const first = await api.handler(reportEvent(token));
    // Until the first answer is a miss that completed, there is nothing to reuse.
    expect([first.statusCode, first.headers?.['X-Examlake-Cache']]).toEqual([200, 'miss']);
    const second = await api.handler(reportEvent(token));
    const cacheReads = cache.reads;
    const storeReads = store.reads;
    const pagesRead = pageReads.mock.calls.length;
    const third = await api.handler(reportEvent(token));
    expect([second.statusCode, third.statusCode, third.headers?.['X-Examlake-Cache']]).toEqual([200, 200, 'hit']);
    expect(third.body).toBe(second.body);

    const [, secondCall, thirdCall] = run.mock.calls;
    const stages = {
      caller: (await authenticate.mock.results[2]!.value) === (await authenticate.mock.results[1]!.value),
      scope: thirdCall![0].scope === secondCall![0].scope,
      queryRequest: thirdCall![1] === secondCall![1],
      key: (await keyOf.mock.results[2]!.value) === (await keyOf.mock.results[1]!.value),
      entry: (await answer.mock.results[2]!.value).entry === (await answer.mock.results[1]!.value).entry,
      noCacheTableRead: cache.reads === cacheReads,
      noResultObjectRead: store.reads === storeReads,
      renderedPage: pageReads.mock.calls.length === pagesRead,
    };
    expect(stages).toEqual({
      caller: true,
      scope: true,
      queryRequest: true,
      key: true,
      entry: true,
      noCacheTableRead: true,
      noResultObjectRead: true,
      renderedPage: true,
    });
  });
});
