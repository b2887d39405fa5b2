import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  ApiKeySourceType,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  Cors,
  EndpointType,
  type IResource,
  LambdaIntegration,
  LogGroupLogDestination,
  Period,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ApiRoute } from '../apiRoutes';

export interface ApiGatewayProps {
  readonly handler: IFunction;
  readonly userPool: IUserPool;
  /** The operations of the contract (`apiRoutes()`). */
  readonly routes: readonly ApiRoute[];
  readonly rateLimitPerSecond: number;
  readonly burstLimit: number;
  /** Origins allowed by CORS preflight; `['*']` for any. */
  readonly corsAllowOrigins: readonly string[];
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  /**
   * A usage plan for partners; every route behind the authorizer then requires an API key.
   * @default - none
   */
  readonly partnerUsagePlan?: { rateLimitPerSecond: number; burstLimit: number; requestsPerDay: number };
}

/**
 * One JSON object per request: who (source IP, user pool subject), what (method, resource, status, length),
 * how long (total and integration latency) and why it failed (gateway, authorizer and integration errors).
 */
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    requestTime: AccessLogField.contextRequestTime(),
    ip: AccessLogField.contextIdentitySourceIp(),
    sub: AccessLogField.contextAuthorizerClaims('sub'),
    httpMethod: AccessLogField.contextHttpMethod(),
    resourcePath: AccessLogField.contextResourcePath(),
    status: AccessLogField.contextStatus(),
    responseLength: AccessLogField.contextResponseLength(),
    responseLatencyMs: AccessLogField.contextResponseLatency(),
    integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
    errorMessage: AccessLogField.contextErrorMessage(),
    authorizerError: AccessLogField.contextAuthorizerError(),
    integrationError: AccessLogField.contextIntegrationErrorMessage(),
  }),
);

/**
 * The API Gateway stage name, the first segment of every URL: `https://<id>.execute-api.<region>.amazonaws.com/api/v1/health`.
 * Not `v1`: the contract's paths already carry the version.
 */
export const API_STAGE = 'api';

/**
 * The REST API in front of the API Lambda, built from the contract's routes: one Lambda proxy method per
 * operation, behind the Cognito authorizer unless the operation is public. Stage throttling, JSON access logs
 * and X-Ray tracing on; CORS preflight and error responses (including the authorizer's own 401/403) carry the
 * allowed origins so browser clients such as the Swagger UI see the real status.
 */
export class ApiGateway extends Construct {
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: ApiGatewayProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const anyOrigin = props.corsAllowOrigins.includes('*');
    this.api = new RestApi(this, 'RestApi', {
      description: 'examlake REST API (openapi.yaml)',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: API_STAGE,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: props.rateLimitPerSecond,
        throttlingBurstLimit: props.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
      },
      defaultCorsPreflightOptions: {
        allowOrigins: anyOrigin ? Cors.ALL_ORIGINS : [...props.corsAllowOrigins],
        allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match', 'X-Api-Key'],
        exposeHeaders: ['ETag', 'Link', 'Location', 'Retry-After', 'X-Examlake-Cache', 'X-Request-Id'],
      },
      apiKeySourceType: ApiKeySourceType.HEADER,
      // The contract is JSON or CSV text; binary bodies (favicons) are base64 in the proxy payload.
      binaryMediaTypes: ['image/png'],
    });
    // A gateway response carries one static header value: with a list of origins, the first one (put the docs
    // site or the main portal first). Preflight answers every listed origin.
    const corsOrigin = anyOrigin ? "'*'" : `'${props.corsAllowOrigins[0]}'`;
    for (const type of [ResponseType.DEFAULT_4XX, ResponseType.DEFAULT_5XX]) {
      this.api.addGatewayResponse(`Gateway${type.responseType}`, {
        type,
        responseHeaders: { 'Access-Control-Allow-Origin': corsOrigin },
      });
    }

    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: 'method.request.header.Authorization',
    });
    const integration = new LambdaIntegration(props.handler, { proxy: true, allowTestInvoke: false });
    for (const route of props.routes) {
      const resource = this.resourceFor(route.path);
      const method = resource.addMethod(route.method, integration, {
        operationName: route.operationId,
        ...(route.public
          ? { authorizationType: AuthorizationType.NONE }
          : {
              authorizationType: AuthorizationType.COGNITO,
              authorizer,
              apiKeyRequired: props.partnerUsagePlan !== undefined,
            }),
      });
      if (route.public) {
        for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
          Validations.of(method).acknowledge({
            id: rule,
            reason: `${route.operationId} is public in openapi.yaml (security: []); the handler serves it to anyone.`,
          });
        }
      }
    }

    if (props.partnerUsagePlan) {
      const plan = props.partnerUsagePlan;
      this.api.addUsagePlan('PartnerUsagePlan', {
        description: 'Partners: one API key each (docs/deploy.md, "Grant a partner")',
        throttle: { rateLimit: plan.rateLimitPerSecond, burstLimit: plan.burstLimit },
        quota: { limit: plan.requestsPerDay, period: Period.DAY },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
    }

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'The handler validates every request against openapi.yaml (one validator, one RFC 9457 error shape); a ' +
        'second, coarser validator in API Gateway would answer in another shape.',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF web ACL (a monthly charge per ACL and rule): stage throttling, the Cognito authorizer and the ' +
        'optional partner usage plan bound the load; attach a web ACL to the stage if abuse appears.',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        'Execution logging needs the account-wide API Gateway CloudWatch role, shared by every API of the account; ' +
        'this app does not own it. JSON access logs and the function logs record every request.',
    });
  }

  /** The stage URL without a trailing slash, the base of the contract's paths (`<base>/v1/health`). */
  get baseUrl(): string {
    const stack = Stack.of(this);
    return `https://${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${API_STAGE}`;
  }

  private resourceFor(pathTemplate: string): IResource {
    let resource: IResource = this.api.root;
    for (const part of pathTemplate.split('/').filter(Boolean)) {
      resource = resource.getResource(part) ?? resource.addResource(part);
    }
    return resource;
  }
}
