import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { CachedGrantSource } from './access/CachedGrantSource';
import { scopeResolver } from './access/resolveScope';
import { TokenBuckets } from './access/TokenBucket';
import { DynamoDBGrantStore } from './adapters/dynamodb/DynamoDBGrantStore';
import { AuditLog } from './audit/AuditLog';
import type { ApiConfig } from './config';
import { NotImplementedError, UnauthenticatedError } from './errors';
import { type ApiTelemetry, createProxyHandler, createTelemetry, PendingMetrics, type ProxyHandler } from './handler';
import { loadOpenApiContract, type OpenApiContract } from './http/openapiDocument';
import { metaOperations } from './operations/metaOperations';
import { partnerOperations } from './operations/partnerOperations';
import type { Authenticator } from './ports/Authenticator';
import { type OperationHandler, Router } from './router';

/** AWS SDK v3 clients the API uses; built from the default provider chain (`AWS_ENDPOINT_URL` locally). */
export interface AwsClients {
  readonly athena: AthenaClient;
  readonly dynamodb: DynamoDBClient;
  readonly glue: GlueClient;
  readonly s3: S3Client;
}

export interface ApiOptions {
  /** @default clients from the default provider chain */
  readonly clients?: AwsClients;
  /** @default the identity issue's token verifier */
  readonly authenticator?: Authenticator;
  /** @default Powertools with the configured log level */
  readonly telemetry?: ApiTelemetry;
  /** @default `openapi.yaml` at the repository root */
  readonly contract?: OpenApiContract;
}

/** A built API: the proxy handler and what was built for it (tests and the local gateway use both). */
export interface Api {
  readonly handler: ProxyHandler;
  readonly router: Router;
  readonly contract: OpenApiContract;
  /** Destroys SDK clients the API built itself. */
  close(): void;
}

export const API_VERSION = '1.0.0';

/** The composition root: configuration and clients in, the wired handler out. No other module builds adapters. */
export async function createApi(config: ApiConfig, options: ApiOptions = {}): Promise<Api> {
  const contract = options.contract ?? loadOpenApiContract();
  const ownClients = options.clients === undefined;
  const clients = options.clients ?? defaultClients();
  const telemetry = options.telemetry ?? createTelemetry(config.logLevel);
  const metricsSink = new PendingMetrics();
  const authenticator = options.authenticator ?? defaultAuthenticator();
  const notYet =
    (operationId: string, issue: string): OperationHandler =>
    async () => {
      throw new NotImplementedError(operationId, issue);
    };
  const grantStore = new DynamoDBGrantStore(clients.dynamodb, config.grantsTable);
  const grantCache = new CachedGrantSource(grantStore, config.grantCacheTtlSeconds * 1000);
  const handlers: Record<string, OperationHandler> = {
    ...metaOperations(contract, API_VERSION),
    listDatasets: notYet('listDatasets', 'issue 4'),
    getDataset: notYet('getDataset', 'issue 4'),
    listReports: notYet('listReports', 'issue 4'),
    runReport: notYet('runReport', 'issue 4'),
    runAdhocQuery: notYet('runAdhocQuery', 'issue 4'),
    getQueryStatus: notYet('getQueryStatus', 'issue 4'),
    getQueryResults: notYet('getQueryResults', 'issue 4'),
    ...partnerOperations({ grants: grantStore, cache: grantCache, minimumCellSize: config.minimumCellSize }),
    listOpenReports: notYet('listOpenReports', 'open data, issue 5'),
    runOpenReport: notYet('runOpenReport', 'open data, issue 5'),
  };
  void config;
  const router = new Router(contract.document, handlers, authenticator, {
    resolveScope: scopeResolver(grantCache),
    audit: new AuditLog(telemetry.audit ?? telemetry.logger),
    partnerThrottle:
      config.partnerRequestsPerSecond > 0
        ? new TokenBuckets(config.partnerRequestsPerSecond, config.partnerBurst)
        : undefined,
  });
  return {
    handler: createProxyHandler(router, telemetry, metricsSink),
    router,
    contract,
    close() {
      if (ownClients) for (const client of Object.values(clients)) client.destroy();
    },
  };
}

function defaultClients(): AwsClients {
  return {
    athena: new AthenaClient({}),
    dynamodb: new DynamoDBClient({}),
    glue: new GlueClient({}),
    s3: new S3Client({}),
  };
}

function defaultAuthenticator(): Authenticator {
  // Wired to the identity issue's TokenVerifier (api/auth) once it lands; until then no token is accepted.
  return {
    async authenticate() {
      throw new UnauthenticatedError('Token verification is not configured on this deployment yet.');
    },
  };
}
