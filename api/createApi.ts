import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { TokenVerifier } from './auth/TokenVerifier';
import { type ApiConfig, ConfigurationError } from './config';
import { NotImplementedError } from './errors';
import { type ApiTelemetry, createProxyHandler, createTelemetry, PendingMetrics, type ProxyHandler } from './handler';
import { loadOpenApiContract, type OpenApiContract } from './http/openapiDocument';
import { metaOperations } from './operations/metaOperations';
import type { Authenticator } from './ports/Authenticator';
import { type OperationHandler, Router } from './router';
import { API_SETTINGS } from './settings';

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
  /** @default a {@link TokenVerifier} built from `config.auth` (Cognito on AWS, the local issuer locally) */
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
  const authenticator = options.authenticator ?? defaultAuthenticator(config);
  const contract = options.contract ?? loadOpenApiContract();
  const ownClients = options.clients === undefined;
  const clients = options.clients ?? defaultClients();
  const telemetry = options.telemetry ?? createTelemetry(config.logLevel);
  const metricsSink = new PendingMetrics();
  const notYet =
    (operationId: string, issue: string): OperationHandler =>
    async () => {
      throw new NotImplementedError(operationId, issue);
    };
  const handlers: Record<string, OperationHandler> = {
    ...metaOperations(contract, API_VERSION),
    listDatasets: notYet('listDatasets', 'issue 4'),
    getDataset: notYet('getDataset', 'issue 4'),
    listReports: notYet('listReports', 'issue 4'),
    runReport: notYet('runReport', 'issue 4'),
    runAdhocQuery: notYet('runAdhocQuery', 'issue 4'),
    getQueryStatus: notYet('getQueryStatus', 'issue 4'),
    getQueryResults: notYet('getQueryResults', 'issue 4'),
    getPartnerGrant: notYet('getPartnerGrant', 'partner grants, issue 5'),
    putPartnerGrant: notYet('putPartnerGrant', 'partner grants, issue 5'),
    deletePartnerGrant: notYet('deletePartnerGrant', 'partner grants, issue 5'),
    listOpenReports: notYet('listOpenReports', 'open data, issue 5'),
    runOpenReport: notYet('runOpenReport', 'open data, issue 5'),
  };
  void config;
  const router = new Router(contract.document, handlers, authenticator);
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

function defaultAuthenticator(config: ApiConfig): Authenticator {
  if (!config.auth) {
    throw new ConfigurationError(
      `Set ${API_SETTINGS.authMode.env} (cognito or local): the API verifies bearer tokens and has no verifier configured.`,
    );
  }
  return TokenVerifier.fromConfig(config.auth);
}
