import { GLUE_DATABASE } from '../resources';
import { loginCallbackUrl } from '../signIn';

/**
 * The typed configuration of one deployment stage. `app.ts` builds it from CDK context (`cdk.json` or
 * `-c key=value`) with {@link resolveStageConfig}; stacks and constructs receive it (or parts of it) as props
 * and never read context or the environment themselves.
 */
export interface StageConfig {
  /**
   * Stage name: part of every stack name (`examlake-<stage>-stateful`) and tag.
   * Lowercase letters, digits and hyphens, starting with a letter, at most 16 characters.
   * @default 'dev'
   */
  readonly stage: string;
  /**
   * Account and region the stacks are pinned to. Unset, the stacks are environment-agnostic and deploy to
   * whatever account and region the CLI credentials select; nothing in the app needs a lookup.
   * @default - environment-agnostic
   */
  readonly env: { readonly account?: string; readonly region?: string } | undefined;
  /**
   * Delete buckets (with their objects), tables and the user pool when the stack is deleted. Only for
   * throw-away stages: with the default, data outlives the stack and `cdk destroy` leaves it in place.
   * @default false
   */
  readonly destroyDataOnRemoval: boolean;
  /**
   * CloudFormation-level deletion protection on the user pool and the DynamoDB tables.
   * @default true for the stage `prod`, false otherwise
   */
  readonly deletionProtection: boolean;
  /**
   * Name of the Glue database. Catalog names are part of the SQL the API runs, so unlike other resources they
   * are not generated; two stages in one account and region need different names.
   * @default GLUE_DATABASE.name ('examlake')
   */
  readonly glueDatabaseName: string;
  /**
   * Prefix of the Cognito hosted domain (`<prefix>.auth.<region>.amazoncognito.com`), unique per region.
   * @default `examlake-<stage>-<account id>`
   */
  readonly authDomainPrefix: string | undefined;
  /**
   * OAuth callback URLs of the API's app client: the Swagger UI's `oauth2-redirect.html` wherever it is served (the
   * stack outputs `DocsOAuthCallbackUrl` and `ApiDocsOAuthCallbackUrl`) and `npx examlake login`'s loopback.
   * @default ['http://localhost:3000/docs/oauth2-redirect.html', 'http://localhost:8765/callback']
   */
  readonly oauthCallbackUrls: readonly string[];
  /**
   * OAuth sign-out URLs of the API's app client.
   * @default ['http://localhost:3000/docs/']
   */
  readonly oauthLogoutUrls: readonly string[];
  /**
   * Multi-factor authentication: `optional` (users may enrol a TOTP app) or `required`.
   * @default 'optional'
   */
  readonly mfa: MfaMode;
  /**
   * Cognito feature plan. `plus` enables threat protection (compromised credentials, adaptive authentication)
   * in enforcing mode and is billed per monthly active user; `essentials` does not.
   * @default 'plus'
   */
  readonly identityFeaturePlan: IdentityFeaturePlan;
  /**
   * Days a replaced or deleted object version is kept in the versioned (raw, curated) buckets.
   * @default 30
   */
  readonly noncurrentVersionExpireAfterDays: number;
  /**
   * Days after which S3 aborts an incomplete multipart upload, in every bucket (1 to 7).
   * @default 2
   */
  readonly incompleteUploadAbortAfterDays: number;
  /**
   * Days S3 server access logs are kept.
   * @default 365
   */
  readonly accessLogExpireAfterDays: number;
  /**
   * Days every CloudWatch log group keeps its events (Lambda, API Gateway access logs, Glue job); one of the
   * values CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
   * 2557, 2922, 3288, 3653).
   * @default 90
   */
  readonly logRetentionDays: number;
  /**
   * Steady-state request rate of the whole API stage, per second, before API Gateway answers 429.
   * @default 50
   */
  readonly apiRateLimitPerSecond: number;
  /**
   * Burst of requests the API stage accepts above the steady rate.
   * @default 100
   */
  readonly apiBurstLimit: number;
  /**
   * Create a usage plan for partners, with its own throttle and daily quota, and require an API key on the
   * routes partners call. Partners receive a key created with `aws apigateway create-api-key` and added to the
   * plan (docs/deploy.md). Off, no route needs an API key.
   * @default false
   */
  readonly partnerUsagePlan: boolean;
  /**
   * Steady-state request rate of one partner's API key, per second (with {@link partnerUsagePlan}).
   * @default 5
   */
  readonly partnerRateLimitPerSecond: number;
  /**
   * Burst of one partner's API key (with {@link partnerUsagePlan}).
   * @default 10
   */
  readonly partnerBurstLimit: number;
  /**
   * Requests one partner's API key may make per day (with {@link partnerUsagePlan}).
   * @default 10000
   */
  readonly partnerRequestsPerDay: number;
  /**
   * Origins allowed to call the API from a browser (CORS). The Swagger UI's CloudFront origin is always added
   * (first: gateway error responses carry one origin), see {@link corsOriginsWithDocs}.
   * Tokens travel in the Authorization header, never in cookies, so `*` exposes nothing a script could not read.
   * @default ['*']
   */
  readonly corsAllowOrigins: readonly string[];
  /**
   * Email address subscribed to the alarm topic (it must confirm the subscription). Unset, subscribe later.
   * @default - no subscription
   */
  readonly alarmEmail: string | undefined;
  /**
   * Memory of the API Lambda, in MB (CPU grows with it; CSV paging and JSON rendering are CPU-bound).
   * @default 1024
   */
  readonly apiMemoryMb: number;
  /**
   * Reserved concurrent executions of the API Lambda: a ceiling on parallel Athena queries and DynamoDB load,
   * and capacity no other function of the account can take.
   * @default - unreserved (the account's shared pool)
   */
  readonly apiReservedConcurrency: number | undefined;
  /**
   * Number of G.1X workers of the transform job (2 is the minimum; each is 4 vCPU and 16 GB, billed per DPU-hour).
   * @default 2
   */
  readonly transformWorkers: number;
  /**
   * Ship source maps with the functions and run them with `--enable-source-maps` (stack traces name the
   * TypeScript source). Off by default: the API's map is ~25 MB, and loading it took the cold start from 540 to
   * 716 ms and the heap from 27 to 111 MB (measured for issue 12). Turn it on for a stage while chasing an error
   * (`-c sourceMaps=true`).
   * @default false
   */
  readonly sourceMaps: boolean;
}

export const MFA_MODES = ['optional', 'required'] as const;
export type MfaMode = (typeof MFA_MODES)[number];
export const IDENTITY_FEATURE_PLANS = ['plus', 'essentials'] as const;
export type IdentityFeaturePlan = (typeof IDENTITY_FEATURE_PLANS)[number];

/**
 * Every context key the app reads, documented in `docs/deploy.md` (a test keeps the two in step).
 * `account` and `region` pin {@link StageConfig.env}; the others are the {@link StageConfig} fields.
 */
export const STAGE_CONTEXT_KEYS = [
  'stage',
  'account',
  'region',
  'destroyDataOnRemoval',
  'deletionProtection',
  'glueDatabaseName',
  'authDomainPrefix',
  'oauthCallbackUrls',
  'oauthLogoutUrls',
  'mfa',
  'identityFeaturePlan',
  'noncurrentVersionExpireAfterDays',
  'incompleteUploadAbortAfterDays',
  'accessLogExpireAfterDays',
  'logRetentionDays',
  'apiRateLimitPerSecond',
  'apiBurstLimit',
  'partnerUsagePlan',
  'partnerRateLimitPerSecond',
  'partnerBurstLimit',
  'partnerRequestsPerDay',
  'corsAllowOrigins',
  'alarmEmail',
  'apiMemoryMb',
  'apiReservedConcurrency',
  'transformWorkers',
  'sourceMaps',
] as const;
export type StageContextKey = (typeof STAGE_CONTEXT_KEYS)[number];

/** Raw context values: JSON from `cdk.json`, or strings from `-c key=value`. */
export type StageContext = Partial<Record<StageContextKey, unknown>>;

/** A context value that cannot be turned into a {@link StageConfig} field. */
export class StageConfigError extends Error {
  constructor(
    readonly key: StageContextKey,
    message: string,
  ) {
    super(`Context value "${key}" ${message}`);
    this.name = 'StageConfigError';
  }
}

/** Validates raw context values and fills in the defaults; throws {@link StageConfigError} naming the key. */
export function resolveStageConfig(context: StageContext): StageConfig {
  const stage = optionalString(context, 'stage', /^[a-z][a-z0-9-]{0,15}$/) ?? 'dev';
  const account = optionalString(context, 'account', /^\d{12}$/);
  const region = optionalString(context, 'region', /^[a-z]{2}(-[a-z]+)+-\d$/);
  return Object.freeze({
    stage,
    env: account || region ? Object.freeze({ account, region }) : undefined,
    destroyDataOnRemoval: optionalBoolean(context, 'destroyDataOnRemoval') ?? false,
    deletionProtection: optionalBoolean(context, 'deletionProtection') ?? stage === 'prod',
    glueDatabaseName: optionalString(context, 'glueDatabaseName', /^[a-z][a-z0-9_]{0,254}$/) ?? GLUE_DATABASE.name,
    authDomainPrefix: optionalString(context, 'authDomainPrefix', /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    oauthCallbackUrls: optionalUrls(context, 'oauthCallbackUrls') ?? [
      'http://localhost:3000/docs/oauth2-redirect.html',
      loginCallbackUrl(),
    ],
    oauthLogoutUrls: optionalUrls(context, 'oauthLogoutUrls') ?? ['http://localhost:3000/docs/'],
    mfa: optionalChoice(context, 'mfa', MFA_MODES) ?? 'optional',
    identityFeaturePlan: optionalChoice(context, 'identityFeaturePlan', IDENTITY_FEATURE_PLANS) ?? 'plus',
    noncurrentVersionExpireAfterDays: optionalInteger(context, 'noncurrentVersionExpireAfterDays', 1, 3650) ?? 30,
    incompleteUploadAbortAfterDays: optionalInteger(context, 'incompleteUploadAbortAfterDays', 1, 7) ?? 2,
    accessLogExpireAfterDays: optionalInteger(context, 'accessLogExpireAfterDays', 1, 3650) ?? 365,
    logRetentionDays: optionalRetention(context, 'logRetentionDays') ?? 90,
    apiRateLimitPerSecond: optionalInteger(context, 'apiRateLimitPerSecond', 1, 10000) ?? 50,
    apiBurstLimit: optionalInteger(context, 'apiBurstLimit', 1, 5000) ?? 100,
    partnerUsagePlan: optionalBoolean(context, 'partnerUsagePlan') ?? false,
    partnerRateLimitPerSecond: optionalInteger(context, 'partnerRateLimitPerSecond', 1, 10000) ?? 5,
    partnerBurstLimit: optionalInteger(context, 'partnerBurstLimit', 1, 5000) ?? 10,
    partnerRequestsPerDay: optionalInteger(context, 'partnerRequestsPerDay', 1, 100_000_000) ?? 10_000,
    corsAllowOrigins: optionalOrigins(context, 'corsAllowOrigins') ?? ['*'],
    alarmEmail: optionalString(context, 'alarmEmail', /^[^\s@]+@[^\s@]+\.[^\s@]+$/),
    apiMemoryMb: optionalInteger(context, 'apiMemoryMb', 128, 10240) ?? 1024,
    apiReservedConcurrency: optionalInteger(context, 'apiReservedConcurrency', 1, 10000),
    transformWorkers: optionalInteger(context, 'transformWorkers', 2, 299) ?? 2,
    sourceMaps: optionalBoolean(context, 'sourceMaps') ?? false,
  });
}

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

function optionalRetention(context: StageContext, key: StageContextKey): number | undefined {
  const days = optionalInteger(context, key, 1, 3653);
  if (days !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new StageConfigError(key, `must be one of ${LOG_RETENTION_DAYS.join(', ')} (days), got ${days}`);
  }
  return days;
}

/** `*` or a list of https origins (http only for localhost), without paths. */
function optionalOrigins(context: StageContext, key: StageContextKey): readonly string[] | undefined {
  const value = context[key];
  if (value === undefined || value === null || value === '') return undefined;
  const list = typeof value === 'string' ? value.split(',').map((origin) => origin.trim()) : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new StageConfigError(key, `must be * or a list of origins, got ${JSON.stringify(value)}`);
  }
  for (const origin of list) {
    if (origin === '*' && list.length === 1) continue;
    if (typeof origin !== 'string' || !/^(https:\/\/[^\s/]+|http:\/\/localhost(:\d+)?)$/.test(origin)) {
      throw new StageConfigError(
        key,
        `must list origins like https://example.org (no path), got ${JSON.stringify(origin)}`,
      );
    }
  }
  return Object.freeze([...list]);
}

function optionalString(context: StageContext, key: StageContextKey, pattern: RegExp): string | undefined {
  const value = context[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new StageConfigError(key, `must match ${pattern}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalBoolean(context: StageContext, key: StageContextKey): boolean | undefined {
  const value = context[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new StageConfigError(key, `must be true or false, got ${JSON.stringify(value)}`);
}

function optionalInteger(context: StageContext, key: StageContextKey, min: number, max: number): number | undefined {
  const value = context[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new StageConfigError(key, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function optionalChoice<T extends string>(
  context: StageContext,
  key: StageContextKey,
  choices: readonly T[],
): T | undefined {
  const value = context[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new StageConfigError(key, `must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** A JSON array of URLs (cdk.json) or a comma-separated list (`-c key=a,b`). */
function optionalUrls(context: StageContext, key: StageContextKey): readonly string[] | undefined {
  const value = context[key];
  if (value === undefined || value === null || value === '') return undefined;
  const list = typeof value === 'string' ? value.split(',').map((url) => url.trim()) : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new StageConfigError(key, `must be a list of URLs, got ${JSON.stringify(value)}`);
  }
  for (const url of list) {
    // Cognito accepts http only for localhost.
    if (typeof url !== 'string' || !/^(https:\/\/[^\s/]+|http:\/\/localhost(:\d+)?)(\/\S*)?$/.test(url)) {
      throw new StageConfigError(key, `must list https URLs (http only for localhost), got ${JSON.stringify(url)}`);
    }
  }
  return Object.freeze([...list]);
}

/**
 * The origins the API allows: `*` alone when configured, else the docs site's origin first, then the configured
 * ones (without repeating it). The docs site's Swagger UI must always be able to call the API it documents.
 */
export function corsOriginsWithDocs(configured: readonly string[], docsOrigin: string): readonly string[] {
  if (configured.includes('*')) return ['*'];
  return [docsOrigin, ...configured.filter((origin) => origin !== docsOrigin)];
}
