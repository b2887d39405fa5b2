import type { Tracer } from '@aws-lambda-powertools/tracer';
import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DATASET_NAMES } from '../etl/schemas/datasets';
import { API_SETTINGS } from '../settings/apiSettings';
import { CachedGrantSource } from './access/CachedGrantSource';
import { scopeResolver } from './access/resolveScope';
import { TokenBuckets } from './access/TokenBucket';
import { AthenaQueryEngine } from './adapters/athena/AthenaQueryEngine';
import { DynamoDBGrantStore } from './adapters/dynamodb/DynamoDBGrantStore';
import { DynamoDBResultCache } from './adapters/dynamodb/DynamoDBResultCache';
import { DynamoDBRunSummaries } from './adapters/dynamodb/DynamoDBRunSummaries';
import { GlueDataVersions } from './adapters/glue/GlueDataVersions';
import { S3ExtractFiles } from './adapters/s3/S3ExtractFiles';
import { S3ResultStore } from './adapters/s3/S3ResultStore';
import { SecretsManagerPseudonymSecret } from './adapters/secretsmanager/SecretsManagerPseudonymSecret';
import { SecretsManagerSigningKeys } from './adapters/secretsmanager/SecretsManagerSigningKeys';
import { AuditLog } from './audit/AuditLog';
import { TokenVerifier } from './auth/TokenVerifier';
import { type ApiConfig, ConfigurationError } from './config';
import { QueryService } from './core/QueryService';
import { QueryTokens } from './core/QueryTokens';
import { ResultPages } from './core/ResultPages';
import { TokenSigner } from './core/TokenSigner';
import { loadOpenApiContract, type OpenApiContract } from './http/openapiDocument';
import { createProxyHandler, PendingMetrics, type ProxyHandler } from './http/proxyHandler';
import { RequestValidator } from './http/RequestValidator';
import { datasetOperations } from './operations/datasetOperations';
import { extractOperations } from './operations/extractOperations';
import { meOperations } from './operations/meOperations';
import { metaOperations } from './operations/metaOperations';
import { openOperations } from './operations/openOperations';
import { partnerOperations } from './operations/partnerOperations';
import { QueryRunner } from './operations/QueryRunner';
import { queryOperations } from './operations/queryOperations';
import { ResultResponder } from './operations/ResultResponder';
import { reportOperations } from './operations/reportOperations';
import type { Authenticator } from './ports/Authenticator';
import type { DataVersions } from './ports/DataVersions';
import type { GrantStore } from './ports/GrantStore';
import type { QueryEngine } from './ports/QueryEngine';
import type { ResultCache } from './ports/ResultCache';
import type { ResultStore } from './ports/ResultStore';
import type { RunSummaries } from './ports/RunSummaries';
import type { SigningKeys } from './ports/SigningKeys';
import { type OperationHandler, Router } from './router';
import { type ApiTelemetry, createTelemetry } from './telemetry';

/** AWS SDK v3 clients the API uses; built from the default provider chain (`AWS_ENDPOINT_URL` locally). */
export interface AwsClients {
  readonly athena: AthenaClient;
  readonly dynamodb: DynamoDBClient;
  readonly glue: GlueClient;
  readonly s3: S3Client;
  readonly secretsManager: SecretsManagerClient;
}

export interface ApiOptions {
  /** @default clients from the default provider chain */
  readonly clients?: AwsClients;
  /** @default a {@link TokenVerifier} built from `config.auth` (Cognito on AWS, the local issuer locally) */
  readonly authenticator?: Authenticator;
  /** @default Powertools with the configured log level */
  readonly telemetry?: ApiTelemetry;
  /** @default `openapi.yaml` at the repository root */
  readonly contract?: OpenApiContract;
  /**
   * Ports replacing the AWS adapters (unit tests of pure logic with in-memory fakes).
   * @default the adapters over `clients`
   */
  readonly ports?: Partial<ApiPorts>;
}

/** The ports the core needs; the AWS adapters by default. */
export interface ApiPorts {
  readonly engine: QueryEngine;
  readonly cache: ResultCache;
  readonly store: ResultStore;
  readonly versions: DataVersions;
  readonly runs: RunSummaries;
  readonly signingKeys: SigningKeys;
  readonly grants: GrantStore;
}

/** A built API: the proxy handler and what was built for it (tests and the local gateway use both). */
export interface Api {
  readonly handler: ProxyHandler;
  readonly router: Router;
  readonly contract: OpenApiContract;
  readonly service: QueryService;
  /** The SDK clients the API uses (its own, traced, when none were given). */
  readonly clients: AwsClients;
  /** Destroys SDK clients the API built itself. */
  close(): void;
}

export const API_VERSION = '1.0.0';

/** The composition root: configuration and clients in, the wired handler out. No other module builds adapters. */
export async function createApi(config: ApiConfig, options: ApiOptions = {}): Promise<Api> {
  const authenticator = options.authenticator ?? defaultAuthenticator(config);
  const contract = options.contract ?? loadOpenApiContract();
  const ownClients = options.clients === undefined;
  const telemetry = options.telemetry ?? createTelemetry(config.logLevel);
  const clients = options.clients ?? defaultClients(telemetry.tracer);
  const metricsSink = new PendingMetrics();
  const ports: ApiPorts = {
    engine: options.ports?.engine ?? new AthenaQueryEngine(clients.athena, config.workGroup),
    cache: options.ports?.cache ?? new DynamoDBResultCache(clients.dynamodb, config.cacheTable),
    store: options.ports?.store ?? new S3ResultStore(clients.s3),
    versions:
      options.ports?.versions ?? new GlueDataVersions(clients.glue, config.glueDatabase, config.dataVersionTtlMs),
    runs: options.ports?.runs ?? new DynamoDBRunSummaries(clients.dynamodb, config.runsTable),
    signingKeys:
      options.ports?.signingKeys ??
      new SecretsManagerSigningKeys(clients.secretsManager, config.signingKeySecretId, config.signingKeyMaxAgeSeconds),
    grants: options.ports?.grants ?? new DynamoDBGrantStore(clients.dynamodb, config.grantsTable),
  };
  const service = new QueryService(
    { ...ports, metrics: metricsSink },
    {
      workGroup: config.workGroup,
      queryWaitMs: config.queryWaitMs,
      pollIntervalMs: config.pollIntervalMs,
      resultTtlSeconds: config.resultTtlSeconds,
      failureBackoffSeconds: config.failureBackoffSeconds,
      leaseSeconds: config.leaseSeconds,
      runningLeaseSeconds: config.runningLeaseSeconds,
    },
  );
  const signer = await TokenSigner.from(ports.signingKeys, (err) =>
    telemetry.logger.warn('signing keys not refreshed: signing with the last keys read', err as Error),
  );
  const tokens = new QueryTokens(signer);
  // One page budget for both LRUs: parsed pages (any outcome) and rendered hit answers.
  const pages = new ResultPages(ports.store, Math.floor(config.pageCacheBytes / 2));
  const runner = new QueryRunner(
    service,
    new ResultResponder(pages, tokens, Math.ceil(config.pageCacheBytes / 2)),
    tokens,
  );
  // One ajv instance compiled from the contract: the router validates requests with it, report operations their
  // parameters.
  const validator = new RequestValidator(contract.document);
  const grantCache = new CachedGrantSource(ports.grants, config.grantCacheTtlSeconds * 1000);
  const handlers: Record<string, OperationHandler> = {
    ...metaOperations(contract, API_VERSION, {
      ...(config.publicUrl !== undefined ? { publicUrl: config.publicUrl } : {}),
      ...(config.oauthDomainUrl !== undefined ? { oauthDomainUrl: config.oauthDomainUrl } : {}),
      ...(config.auth ? { clientId: config.auth.clientId.split(',')[0]!.trim() } : {}),
    }),
    ...meOperations({ grants: grantCache }),
    ...datasetOperations({ database: config.glueDatabase, versions: ports.versions, runs: ports.runs }),
    ...reportOperations({
      document: contract.document,
      database: config.glueDatabase,
      schemaValidator: (pointer) => validator.schemaValidator(pointer),
      runner,
      maxResultRows: config.maxResultRows,
    }),
    ...queryOperations({
      runner,
      tokens,
      database: config.glueDatabase,
      tables: DATASET_NAMES,
      maxResultRows: config.maxResultRows,
    }),
    ...partnerOperations({
      grants: ports.grants,
      cache: grantCache,
      minimumCellSize: config.minimumCellSize,
      maxExtractRows: config.extractMaxRows,
    }),
    ...extractOperations({
      engine: ports.engine,
      results: ports.store,
      files: new S3ExtractFiles(clients.s3, config.resultsBucket),
      pseudonymSecret: config.studentKeySecretId
        ? new SecretsManagerPseudonymSecret(clients.secretsManager, config.studentKeySecretId)
        : undefined,
      database: config.glueDatabase,
      maxRows: config.extractMaxRows,
      urlTtlSeconds: config.extractUrlTtlSeconds,
      dailyQuota: { rows: config.extractDailyRows, bytes: config.extractDailyBytes },
      countWaitMs: config.queryWaitMs,
      pollIntervalMs: config.pollIntervalMs,
    }),
    ...openOperations({
      service,
      pages,
      tokens,
      database: config.glueDatabase,
      minimumCellSize: config.minimumCellSize,
      maxAgeSeconds: config.openCacheMaxAgeSeconds,
      maxResultRows: config.maxResultRows,
    }),
  };
  const router = new Router(contract.document, handlers, authenticator, {
    validator,
    resolveScope: scopeResolver(grantCache, { minimumCellSizeFloor: config.minimumCellSize }),
    // The one audit channel: each operation states its facts on its response, the router records them.
    audit: telemetry.audit ?? new AuditLog(),
    partnerThrottle:
      config.partnerRequestsPerSecond > 0
        ? new TokenBuckets(config.partnerRequestsPerSecond, config.partnerBurst)
        : undefined,
    principalThrottle:
      config.principalRequestsPerSecond > 0
        ? new TokenBuckets(config.principalRequestsPerSecond, config.principalBurst)
        : undefined,
    principalMaxInFlight: config.principalMaxInFlight,
  });
  const proxy = createProxyHandler(router, telemetry, metricsSink, config.corsAllowOrigins);
  return {
    // The keys are taken before routing, so `sign` and `open` stay synchronous; within their max age this is a
    // cache read.
    handler: async (event, context) => {
      await signer.refresh();
      return proxy(event, context);
    },
    router,
    service,
    contract,
    clients,
    close() {
      if (ownClients) for (const client of Object.values(clients)) client.destroy();
    },
  };
}

/**
 * The Lambda's clients, from the default provider chain, each captured by the tracer: X-Ray then shows every
 * Athena, DynamoDB, Glue, S3 and Secrets Manager call as a subsegment of the request's trace.
 */
function defaultClients(tracer: Tracer): AwsClients {
  return {
    athena: tracer.captureAWSv3Client(new AthenaClient({})),
    dynamodb: tracer.captureAWSv3Client(new DynamoDBClient({})),
    glue: tracer.captureAWSv3Client(new GlueClient({})),
    s3: tracer.captureAWSv3Client(new S3Client({})),
    secretsManager: tracer.captureAWSv3Client(new SecretsManagerClient({})),
  };
}

function defaultAuthenticator(config: ApiConfig): Authenticator {
  if (!config.auth) {
    throw new ConfigurationError(
      `Set ${API_SETTINGS.authMode.env} (cognito or local): the API verifies bearer tokens and has no verifier configured.`,
    );
  }
  return TokenVerifier.fromConfig(config.auth);
}
