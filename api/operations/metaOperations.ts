import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NotFoundError } from '../errors';
import { type ApiResponse, jsonResponse } from '../http/ApiRequest';
import { type ContractLocation, deployedContract } from '../http/deployedContract';
import type { OpenApiContract } from '../http/openapiDocument';
import type { OperationHandler } from '../router';

const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** Swagger UI files served under `/docs/`, with their media types. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'oauth2-redirect.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * The page at `/docs`. Asset URLs are relative to `/docs` (`docs/…`), so the page works under an API Gateway
 * stage prefix too; the document is `/openapi.yaml` next to it. Authorizations persist across reloads.
 */
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>examlake API</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
  <link rel="stylesheet" href="docs/index.css">
  <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js" charset="UTF-8"></script>
  <script src="docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
  <script src="docs/swagger-initializer.js" charset="UTF-8"></script>
</body>
</html>
`;

/**
 * Swagger UI's start: the served contract next to the page, "Try it out" on, and sign-in through the contract's
 * `cognito` flow (authorization code with PKCE) as the API's app client; the flow's `x-tokenName: id_token` makes
 * Swagger UI send the ID token, the only token the API accepts.
 */
function initializerJs(clientId: string | undefined): string {
  const oauth = {
    ...(clientId ? { clientId } : {}),
    usePkceWithAuthorizationCodeGrant: true,
    scopes: 'openid email profile',
  };
  return `window.onload = function () {
  var base = window.location.href.replace(/[?#].*$/, '').replace(/\\/docs\\/?$/, '');
  window.ui = SwaggerUIBundle({
    url: base + '/openapi.yaml',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    tryItOutEnabled: true,
    oauth2RedirectUrl: base + '/docs/oauth2-redirect.html',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout'
  });
  window.ui.initOAuth(${JSON.stringify(oauth)});
};
`;
}

/** What `/openapi.yaml` and `/docs` say about the deployment they are served from. */
export interface DocsSettings extends ContractLocation {
  /** The app client Swagger UI signs in as (the first of `EXAMLAKE_CLIENT_ID`). @default none: the user types it */
  readonly clientId?: string;
}

/** Health, the contract (as this deployment serves it) and Swagger UI. */
export function metaOperations(
  contract: OpenApiContract,
  version: string,
  docs: DocsSettings = {},
): Record<string, OperationHandler> {
  const servedContract = deployedContract(contract.text, docs);
  const initializer = initializerJs(docs.clientId);
  const assets = new Map<string, Buffer>();
  const asset = (name: string): Buffer => {
    let bytes = assets.get(name);
    if (!bytes) {
      bytes = readFileSync(path.join(SWAGGER_DIR, name));
      assets.set(name, bytes);
    }
    return bytes;
  };
  const longCache = { 'Cache-Control': 'public, max-age=3600' };
  return {
    getHealth: async () =>
      jsonResponse(200, { status: 'ok', version, time: new Date().toISOString() }, { 'Cache-Control': 'no-store' }),
    getOpenApiDocument: async (): Promise<ApiResponse> => ({
      status: 200,
      headers: { 'Content-Type': 'application/yaml; charset=utf-8', 'Cache-Control': 'no-cache' },
      body: servedContract,
    }),
    getDocs: async () => ({
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' },
      body: INDEX_HTML,
    }),
    getDocsAsset: async (request) => {
      const name = request.pathParams['asset']!;
      if (name === 'swagger-initializer.js') {
        return {
          status: 200,
          headers: { 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'no-cache' },
          body: initializer,
        };
      }
      const type = ASSETS[name];
      if (!type) throw new NotFoundError(`No documentation asset named ${name}.`);
      const bytes = asset(name);
      return {
        status: 200,
        headers: { 'Content-Type': type, ...longCache },
        body: type.startsWith('image/') ? bytes : bytes.toString('utf8'),
      };
    },
  };
}
