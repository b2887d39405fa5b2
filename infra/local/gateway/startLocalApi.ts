import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type ApiConfig, apiConfig } from '../../../api/config';
import { type Api, type AwsClients, createApi } from '../../../api/createApi';
import type { ApiTelemetry } from '../../../api/handler';
import type { Authenticator } from '../../../api/ports/Authenticator';
import { LOCAL_RESOURCE_NAMES } from '../bootstrap';
import { LOCAL_CREDENTIALS } from '../config';
import { LocalAuthorizer } from '../identity/LocalAuthorizer';
import { LocalIssuer } from '../identity/LocalIssuer';
import { type GatewayTokenCheck, LocalGateway } from './LocalGateway';

export interface LocalApiOptions {
  /** Port of the API; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The local stack's edge endpoint (`LocalStack.endpoint`). */
  readonly stackEndpoint: string;
  /** The data dir (the local issuer's keys). The signing key is the bootstrap's secret in the local Secrets Manager. */
  readonly dataDir: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** API settings beyond the local resource names (wait, TTLs, …). */
  readonly settings?: Partial<ApiConfig>;
  /** Checks tokens in the gateway (the Cognito authorizer's part); defaults to the local issuer's verifier. */
  readonly checkToken?: GatewayTokenCheck;
  /** Authenticates callers in the handler; defaults to the local issuer's verifier. */
  readonly authenticator?: Authenticator;
  readonly telemetry?: ApiTelemetry;
}

/** A running local API: the gateway's URL, the built API and the clients it uses. */
export interface LocalApi {
  readonly url: string;
  readonly api: Api;
  readonly config: ApiConfig;
  readonly clients: AwsClients;
  close(): Promise<void>;
}

/**
 * The API on one machine: the same handler the Lambda runs, configured with the local stack's resource
 * names, behind the local gateway (default http://127.0.0.1:3000). `examlake start` calls this after the
 * stack is up and bootstrapped.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const issuer = await LocalIssuer.open(options.dataDir);
  const clientConfig = {
    endpoint: options.stackEndpoint,
    region: options.region ?? 'us-east-1',
    credentials: { ...LOCAL_CREDENTIALS },
  };
  const clients: AwsClients = {
    athena: new AthenaClient(clientConfig),
    dynamodb: new DynamoDBClient(clientConfig),
    glue: new GlueClient(clientConfig),
    s3: new S3Client(clientConfig),
    secretsManager: new SecretsManagerClient(clientConfig),
  };
  const config = apiConfig({
    cacheTable: LOCAL_RESOURCE_NAMES.cacheTable,
    runsTable: LOCAL_RESOURCE_NAMES.runsTable,
    grantsTable: LOCAL_RESOURCE_NAMES.grantsTable,
    resultsBucket: LOCAL_RESOURCE_NAMES.resultsBucket,
    workGroup: LOCAL_RESOURCE_NAMES.workGroup,
    glueDatabase: LOCAL_RESOURCE_NAMES.glueDatabase,
    signingKeySecretId: LOCAL_RESOURCE_NAMES.signingKeySecret,
    auth: issuer.authConfig(),
    ...options.settings,
  });
  const api = await createApi(config, { clients, authenticator: options.authenticator, telemetry: options.telemetry });
  try {
    const gateway = await LocalGateway.listen({
      host: options.host,
      port: options.port ?? 3000,
      handler: api.handler,
      document: api.contract.document,
      checkToken: options.checkToken ?? LocalAuthorizer.forIssuer(issuer).checkToken,
    });
    return {
      url: gateway.url,
      api,
      config,
      clients,
      async close() {
        await gateway.close();
        for (const client of Object.values(clients)) client.destroy();
      },
    };
  } catch (err) {
    for (const client of Object.values(clients)) client.destroy();
    throw err;
  }
}
