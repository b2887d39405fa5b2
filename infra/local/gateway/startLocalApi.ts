import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type ApiConfig, apiConfig } from '../../../api/config';
import { type Api, type AwsClients, createApi } from '../../../api/createApi';
import { loadOpenApiContract } from '../../../api/http/openapiDocument';
import type { ProxyHandler } from '../../../api/http/proxyHandler';
import type { Authenticator } from '../../../api/ports/Authenticator';
import type { ApiTelemetry } from '../../../api/telemetry';
import { loginCallbackUrl } from '../../signIn';
import { LOCAL_RESOURCE_NAMES } from '../bootstrap';
import { LOCAL_CREDENTIALS } from '../config';
import { LocalAuthorizer } from '../identity/LocalAuthorizer';
import { LocalIssuer } from '../identity/LocalIssuer';
import { LocalOidcProvider, type OidcClient } from '../identity/LocalOidcProvider';
import { type GatewayTokenCheck, LocalGateway } from './LocalGateway';
import { requestLine } from './localTelemetry';
import { WebAppSite } from './WebAppSite';

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
  /**
   * OAuth clients the local OIDC provider accepts besides `examlake-local` (redirected to this API's
   * `/docs/oauth2-redirect.html`, for Swagger UI, or to `npx examlake login`'s loopback callback).
   * @default none
   */
  readonly oauthClients?: readonly OidcClient[];
  /**
   * Called with one human-readable line per request the handler answered (`npm start` prints them); Swagger UI's
   * asset requests (`/docs/…`) are left out. @default none
   */
  readonly onRequest?: (line: string) => void;
  /**
   * Serve the web app at `/` (bundled from `web/` at start, about a second) and register its page as a redirect
   * URI of `examlake-local`. @default false
   */
  readonly webApp?: boolean;
}

/** A running local API: the gateway's URL, the built API and the clients it uses. */
export interface LocalApi {
  readonly url: string;
  readonly api: Api;
  readonly config: ApiConfig;
  readonly clients: AwsClients;
  /** The local issuer's OIDC provider served by the gateway (`/oauth2/…`, `/.well-known/…`). */
  readonly oidc: LocalOidcProvider;
  /** The web app's address, when `webApp` is on. */
  readonly webAppUrl?: string;
  close(): Promise<void>;
}

/**
 * The API on one machine: the same handler the Lambda runs, configured with the local stack's resource
 * names, behind the local gateway (default http://127.0.0.1:3000). `examlake start` calls this after the
 * stack is up and bootstrapped. The gateway also serves the local issuer's OIDC provider (Swagger UI's sign-in),
 * and the contract it serves names the gateway's URL as its server and sign-in domain.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const issuer = await LocalIssuer.open(options.dataDir);
  const contract = loadOpenApiContract();
  // The gateway listens first: its URL (a free port when 0) is what the served contract and the sign-in name.
  let handler: ProxyHandler | undefined;
  let oidc: LocalOidcProvider | undefined;
  let webApp: WebAppSite | undefined;
  const gateway = await LocalGateway.listen({
    host: options.host,
    port: options.port ?? 3000,
    handler: async (event, context) => {
      if (!handler) return { statusCode: 503, headers: { 'Retry-After': '1' }, body: 'The API is starting.' };
      if (!options.onRequest || event.path.startsWith('/docs/')) return handler(event, context);
      const started = performance.now();
      const result = await handler(event, context);
      options.onRequest(requestLine(event, result, performance.now() - started));
      return result;
    },
    document: contract.document,
    checkToken: options.checkToken ?? LocalAuthorizer.forIssuer(issuer).checkToken,
    mounted: [async (request) => oidc?.handle(request), async (request) => webApp?.handle(request)],
    ...(options.onRequest
      ? {
          onUnauthorized: (method: string, target: string) =>
            options.onRequest!(
              `${new Date().toTimeString().slice(0, 8)} ${method} ${target} → 401 UNAUTHORIZED: no token, or one this ` +
                'API did not issue or that has expired (npx examlake token mints one for this stack)',
            ),
        }
      : {}),
  });
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
  const destroyClients = () => {
    for (const client of Object.values(clients)) client.destroy();
  };
  try {
    const config = apiConfig({
      cacheTable: LOCAL_RESOURCE_NAMES.cacheTable,
      runsTable: LOCAL_RESOURCE_NAMES.runsTable,
      grantsTable: LOCAL_RESOURCE_NAMES.grantsTable,
      resultsBucket: LOCAL_RESOURCE_NAMES.resultsBucket,
      workGroup: LOCAL_RESOURCE_NAMES.workGroup,
      studentKeySecretId: LOCAL_RESOURCE_NAMES.studentKeySecret,
      glueDatabase: LOCAL_RESOURCE_NAMES.glueDatabase,
      signingKeySecretId: LOCAL_RESOURCE_NAMES.signingKeySecret,
      auth: issuer.authConfig(),
      publicUrl: gateway.url,
      oauthDomainUrl: gateway.url,
      ...options.settings,
    });
    const publicUrl = config.publicUrl ?? gateway.url;
    if (options.webApp) {
      webApp = WebAppSite.create({
        apiUrl: publicUrl,
        authority: config.oauthDomainUrl ?? gateway.url,
        clientId: issuer.clientId,
        docsUrl: `${publicUrl}/docs`,
      });
    }
    oidc = new LocalOidcProvider(issuer, {
      baseUrl: config.oauthDomainUrl ?? gateway.url,
      clients: [
        {
          clientId: issuer.clientId,
          redirectUris: [
            ...loopbackSpellings(`${publicUrl}/docs/oauth2-redirect.html`),
            ...(options.webApp ? WebAppSite.PAGE_PATHS.flatMap((p) => loopbackSpellings(`${publicUrl}${p}`)) : []),
            loginCallbackUrl(),
          ],
        },
        ...(options.oauthClients ?? []),
      ],
    });
    const api = await createApi(config, {
      clients,
      contract,
      authenticator: options.authenticator,
      telemetry: options.telemetry,
    });
    handler = api.handler;
    return {
      url: gateway.url,
      api,
      config,
      clients,
      oidc,
      ...(webApp ? { webAppUrl: `${publicUrl}/` } : {}),
      async close() {
        await gateway.close();
        destroyClients();
      },
    };
  } catch (err) {
    await gateway.close();
    destroyClients();
    throw err;
  }
}

/**
 * A redirect URI (Swagger UI's redirect page, the web app's page) under the API's URL; for a loopback URL under both
 * spellings of loopback (`127.0.0.1`, `localhost`), since a developer may open either.
 */
function loopbackSpellings(uri: string): string[] {
  const url = new URL(uri);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return [uri];
  return ['127.0.0.1', 'localhost'].map((host) => {
    url.hostname = host;
    return url.toString();
  });
}
