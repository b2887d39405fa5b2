import { readFileSync } from 'node:fs';
import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parse } from 'yaml';
import { ConfigurationError, loadApiConfig } from '../../../api/config';
import { type Api, createApi } from '../../../api/createApi';
import { deployedContract } from '../../../api/http/deployedContract';
import { DEFAULT_OPENAPI_PATH } from '../../../api/http/openapiDocument';
import { bootstrapSecrets, LOCAL_RESOURCE_NAMES } from '../../../infra/local/bootstrap';
import { startTestStack, type TestStack } from '../../support/localStack';
import { quietTelemetry } from '../support/startApiTestStack';

/**
 * What `/openapi.yaml` and `/docs` say about the deployment serving them: the API's public URL (stage included)
 * and its sign-in domain, from settings, so Swagger UI's "Try it out" and sign-in reach the right place.
 */
const STAGE_URL = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/api';
const HOSTED_DOMAIN = 'https://examlake-prod-123456789012.auth.eu-west-1.amazoncognito.com';

/** The API Lambda's environment as the CDK app sets it (cognito mode). */
const LAMBDA_ENV = {
  EXAMLAKE_CACHE_TABLE: 'cache',
  EXAMLAKE_RUNS_TABLE: 'runs',
  EXAMLAKE_GRANTS_TABLE: 'grants',
  EXAMLAKE_RESULTS_BUCKET: 'results',
  EXAMLAKE_WORKGROUP: 'examlake',
  EXAMLAKE_SIGNING_KEY_SECRET_ID: LOCAL_RESOURCE_NAMES.signingKeySecret,
  EXAMLAKE_AUTH_MODE: 'cognito',
  EXAMLAKE_USER_POOL_ID: 'eu-west-1_AbC123',
  EXAMLAKE_CLIENT_ID: '5abcdefghij1234567890klmno,other-client',
  EXAMLAKE_PUBLIC_URL: STAGE_URL,
  EXAMLAKE_OAUTH_DOMAIN_URL: `${HOSTED_DOMAIN}/`,
};

function get(path: string): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    path,
    resource: path,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', path: `/api${path}`, stage: 'api' },
  } as unknown as APIGatewayProxyEvent;
}

let api: Api;
let stack: TestStack;
let destroyClients = () => {};
beforeAll(async () => {
  // The function reads its signing key from Secrets Manager at cold start: a local stack holds it.
  stack = await startTestStack();
  await bootstrapSecrets(stack.clientConfig);
  const c = stack.clientConfig;
  const clients = {
    athena: new AthenaClient(c),
    dynamodb: new DynamoDBClient(c),
    glue: new GlueClient(c),
    s3: new S3Client({ ...c, forcePathStyle: true }),
    secretsManager: new SecretsManagerClient(c),
  };
  destroyClients = () => {
    for (const client of Object.values(clients)) client.destroy();
  };
  api = await createApi(loadApiConfig(LAMBDA_ENV), { clients, telemetry: quietTelemetry([]) });
});
afterAll(async () => {
  await api?.close();
  destroyClients();
  await stack?.stop();
});

describe('the contract the API serves', () => {
  it('names the API stage as its server and the Cognito hosted domain as its sign-in', async () => {
    const res = await api.handler(get('/openapi.yaml'));
    expect(res.statusCode).toBe(200);
    const served = parse(res.body);
    expect(served.servers).toEqual([{ url: STAGE_URL, description: 'The API this document is served from.' }]);
    expect(served.components.securitySchemes.cognito).toMatchObject({
      'x-tokenName': 'id_token',
      flows: {
        authorizationCode: {
          authorizationUrl: `${HOSTED_DOMAIN}/oauth2/authorize`,
          tokenUrl: `${HOSTED_DOMAIN}/oauth2/token`,
        },
      },
    });
    expect(res.body).not.toContain('127.0.0.1');
  });

  it('signs Swagger UI in as the first app client with PKCE', async () => {
    const res = await api.handler(get('/docs/swagger-initializer.js'));
    expect(res.body).toContain(
      'initOAuth({"clientId":"5abcdefghij1234567890klmno","usePkceWithAuthorizationCodeGrant":true,"scopes":"openid email profile"})',
    );
  });

  it('refuses a public URL that is not an absolute http(s) URL, naming the variable', () => {
    expect(() => loadApiConfig({ ...LAMBDA_ENV, EXAMLAKE_PUBLIC_URL: '/api' })).toThrow(ConfigurationError);
    expect(() => loadApiConfig({ ...LAMBDA_ENV, EXAMLAKE_OAUTH_DOMAIN_URL: 'auth.example.org' })).toThrow(
      /EXAMLAKE_OAUTH_DOMAIN_URL must be an http\(s\) URL/,
    );
  });
});

describe('deployedContract', () => {
  const text = readFileSync(DEFAULT_OPENAPI_PATH, 'utf8');

  it('changes only servers and the sign-in URLs, byte for byte', () => {
    const out = deployedContract(text, { publicUrl: STAGE_URL, oauthDomainUrl: HOSTED_DOMAIN });
    const expected = parse(text);
    expected.servers = [{ url: STAGE_URL, description: 'The API this document is served from.' }];
    expected.components.securitySchemes.cognito.flows.authorizationCode.authorizationUrl = `${HOSTED_DOMAIN}/oauth2/authorize`;
    expected.components.securitySchemes.cognito.flows.authorizationCode.tokenUrl = `${HOSTED_DOMAIN}/oauth2/token`;
    expect(parse(out)).toEqual(expected);
    const tail = text.slice(text.indexOf('\ntags:'));
    expect(out).toContain(tail.slice(0, tail.indexOf('  securitySchemes:')));
  });

  it('keeps the repository’s working examples when nothing is configured', () => {
    expect(deployedContract(text, {})).toBe(text);
    const examples = parse(text);
    expect(examples.servers[0].url).toBe('http://127.0.0.1:3000');
    expect(examples.components.securitySchemes.cognito.flows.authorizationCode.authorizationUrl).toBe(
      'http://127.0.0.1:3000/oauth2/authorize',
    );
  });
});
