import type { APIGatewayProxyEvent } from 'aws-lambda';

/** What the local gateway knows about one HTTP request when it builds the event. */
export interface GatewayRequest {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  /** Node's raw header list: name, value, name, value… (keeps repeated headers apart). */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  /** API Gateway resource the path matched (`/v1/reports/{reportId}`, or `/{proxy+}`). */
  readonly resource: string;
  readonly pathParameters: Readonly<Record<string, string>> | null;
  /** Claims of the verified token, as the Cognito authorizer passes them; undefined without a token. */
  readonly claims: Readonly<Record<string, unknown>> | undefined;
  readonly stage: string;
}

/**
 * An API Gateway REST API proxy event (payload format 1.0), as API Gateway builds it for a Lambda proxy
 * integration: single- and multi-value headers and query parameters, path parameters of the matched
 * resource, and the request context with request id, stage, source IP and the authorizer's claims (coerced to
 * strings, as the Cognito authorizer does).
 */
export function toProxyEvent(request: GatewayRequest): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!;
    const value = request.rawHeaders[i + 1]!;
    headers[name] = value;
    const values = multiValueHeaders[name];
    if (values) values.push(value);
    else multiValueHeaders[name] = [value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  let hasQuery = false;
  if (request.rawQuery.length > 1) {
    for (const [name, value] of new URLSearchParams(request.rawQuery)) {
      hasQuery = true;
      query[name] = value;
      const values = multiQuery[name];
      if (values) values.push(value);
      else multiQuery[name] = [value];
    }
  }
  const claims = request.claims ? stringClaims(request.claims) : undefined;
  const isText = request.body.length === 0 || isTextual(headers);
  return {
    resource: request.resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: request.pathParameters ? { ...request.pathParameters } : null,
    stageVariables: null,
    body: request.body.length === 0 ? null : request.body.toString(isText ? 'utf8' : 'base64'),
    isBase64Encoded: !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: claims ? { claims } : null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        userArn: null,
      },
      path: request.path,
      stage: request.stage,
      requestId: request.requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: request.resource,
    },
  };
}

/** The claims as the Cognito authorizer passes them (strings), once per claims object (verified tokens are cached). */
const STRING_CLAIMS = new WeakMap<object, Record<string, string>>();

function stringClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  let out = STRING_CLAIMS.get(claims);
  if (!out) {
    out = Object.freeze(
      Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)])),
    ) as Record<string, string>;
    STRING_CLAIMS.set(claims, out);
  }
  return out;
}

function isTextual(headers: Record<string, string>): boolean {
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  return type === '' || /^(text\/|application\/(?:[\w.+-]+\+)?(?:json|xml|yaml|x-www-form-urlencoded))/i.test(type);
}
