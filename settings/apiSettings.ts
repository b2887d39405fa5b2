import { baseUrl, integer, list, oneOf, optionalText, requiredText, text } from './Setting';
import { glueDatabase, runsTable } from './sharedSettings';

/** The values of `EXAMLAKE_AUTH_MODE`. */
export const AUTH_MODES = ['cognito', 'local'] as const;

/**
 * Settings of the API Lambda, each declared once (name, default, unit, description, parser) and documented in
 * `docs/settings.md`; `api/config.ts` is the only reader of them. On AWS the CDK app sets them on the function;
 * locally `startLocalApi` passes typed values to `apiConfig`.
 */
export const API_SETTINGS = {
  cacheTable: requiredText({
    env: 'EXAMLAKE_CACHE_TABLE',
    unit: 'DynamoDB table name',
    description: 'Query-hash cache table (pk `q#<hash>`, TTL attribute `expiresAt`).',
  }),
  runsTable,
  grantsTable: requiredText({
    env: 'EXAMLAKE_GRANTS_TABLE',
    unit: 'DynamoDB table name',
    description: 'Partner grants.',
  }),
  resultsBucket: requiredText({
    env: 'EXAMLAKE_RESULTS_BUCKET',
    unit: 'S3 bucket name',
    description:
      'The results bucket, where partner extracts live (`extracts/<owner>/<id>/`, written by Athena UNLOAD, handed out as ' +
      'pre-signed URLs). Query results are read from the location each cache entry records, whatever the bucket.',
  }),
  workGroup: requiredText({
    env: 'EXAMLAKE_WORKGROUP',
    unit: 'Athena workgroup',
    description: 'Workgroup every query runs in (result location and scan cutoff are enforced there).',
  }),
  glueDatabase,
  signingKeySecretId: requiredText({
    env: 'EXAMLAKE_SIGNING_KEY_SECRET_ID',
    unit: 'Secrets Manager secret name or ARN',
    description:
      'Secret holding the HMAC key of page tokens and query handles (SecretString, at least 32 characters), read at ' +
      'run time: AWSCURRENT signs, AWSPREVIOUS still verifies, so tokens survive one rotation.',
  }),
  signingKeyMaxAgeSeconds: integer({
    env: 'EXAMLAKE_SIGNING_KEY_MAX_AGE_SECONDS',
    default: '300',
    min: 0,
    max: 86_400,
    unit: 's',
    description:
      'How long the signing keys are cached before Secrets Manager is asked again (a rotation takes effect within it).',
  }),
  queryWaitMs: integer({
    env: 'EXAMLAKE_QUERY_WAIT_MS',
    default: '10000',
    min: 0,
    unit: 'ms',
    description: 'How long a request waits for Athena before answering 202 with a handle.',
  }),
  pollIntervalMs: integer({
    env: 'EXAMLAKE_POLL_INTERVAL_MS',
    default: '100',
    min: 1,
    unit: 'ms',
    description: 'First interval between status polls of a running query (doubles up to 1 s).',
  }),
  resultTtlSeconds: integer({
    env: 'EXAMLAKE_RESULT_TTL_SECONDS',
    default: '86400',
    min: 1,
    unit: 's',
    description:
      'Lifetime of a cached result entry (DynamoDB TTL); results are also dropped when the data version changes.',
  }),
  failureBackoffSeconds: integer({
    env: 'EXAMLAKE_FAILURE_BACKOFF_SECONDS',
    default: '30',
    min: 0,
    unit: 's',
    description: 'How long a failed query answers its failure without running again.',
  }),
  leaseSeconds: integer({
    env: 'EXAMLAKE_LEASE_SECONDS',
    default: '30',
    min: 1,
    unit: 's',
    description:
      'How long a claim on a cache entry may go without an Athena execution before another request takes it over.',
  }),
  runningLeaseSeconds: integer({
    env: 'EXAMLAKE_RUNNING_LEASE_SECONDS',
    default: '900',
    min: 1,
    unit: 's',
    description: 'How long an execution may run before a request takes the entry over and starts again.',
  }),
  dataVersionTtlMs: integer({
    env: 'EXAMLAKE_DATA_VERSION_TTL_MS',
    default: '5000',
    min: 0,
    unit: 'ms',
    description: 'How long a table’s data version read from Glue is reused in memory.',
  }),
  maxResultRows: integer({
    env: 'EXAMLAKE_MAX_RESULT_ROWS',
    default: '100000',
    min: 1,
    unit: 'rows',
    description: 'Rows kept of any result; more are cut and the response says `truncated: true`.',
  }),
  pageCacheBytes: integer({
    env: 'EXAMLAKE_PAGE_CACHE_BYTES',
    default: '33554432',
    min: 0,
    unit: 'bytes',
    description: 'Size of the in-memory LRU of hot result pages (per Lambda instance).',
  }),
  minimumCellSize: integer({
    env: 'EXAMLAKE_MINIMUM_CELL_SIZE',
    default: '10',
    min: 1,
    unit: 'rows',
    description:
      'Smallest group an open-data figure may describe (primary suppression) and the protection width of its interval audit; also the floor of every partner grant’s minimumCellSize, enforced when a grant is written (400) and when it is read (a stored grant below it applies the floor).',
  }),
  grantCacheTtlSeconds: integer({
    env: 'EXAMLAKE_GRANT_CACHE_TTL_SECONDS',
    default: '30',
    min: 0,
    max: 60,
    unit: 's (0–60)',
    description: 'How long a Lambda instance reuses a partner grant read from DynamoDB: the bound on revocation delay.',
  }),
  extractMaxRows: integer({
    env: 'EXAMLAKE_EXTRACT_MAX_ROWS',
    default: '1000000',
    min: 1,
    unit: 'rows',
    description:
      'Largest row cap a grant may set for one partner extract (`rowAccess.maxRowsPerExtract`); also the cap of analysts’ and school administrators’ extracts.',
  }),
  extractUrlTtlSeconds: integer({
    env: 'EXAMLAKE_EXTRACT_URL_TTL_SECONDS',
    default: '900',
    min: 1,
    max: 3600,
    unit: 's (1–3600)',
    description: 'Lifetime of the pre-signed download URLs of an extract’s files.',
  }),
  extractDailyRows: integer({
    env: 'EXAMLAKE_EXTRACT_DAILY_ROWS',
    default: '1000000',
    min: 0,
    unit: 'rows per partner per UTC day',
    description:
      'Rows a partner’s extracts may hold in one UTC day; an extract that would pass it is 429 with the reset time.',
  }),
  extractDailyBytes: integer({
    env: 'EXAMLAKE_EXTRACT_DAILY_BYTES',
    default: '1073741824',
    min: 0,
    unit: 'bytes per partner per UTC day',
    description:
      'Bytes of extract files a partner may have written in one UTC day; once reached, new extracts are 429 with the reset time.',
  }),
  studentKeySecretId: optionalText({
    env: 'EXAMLAKE_STUDENT_KEY_SECRET_ID',
    default: '',
    unit: 'Secrets Manager secret id',
    description:
      'The student-key secret (the ETL’s, never rotated): each partner’s `student_key` in extracts is HMAC-SHA256 of the curated one under a key derived from it and the partner id. Empty: partner extracts answer 503.',
  }),
  partnerRequestsPerSecond: integer({
    env: 'EXAMLAKE_PARTNER_REQUESTS_PER_SECOND',
    default: '10',
    min: 0,
    unit: 'requests/s',
    description: 'Steady rate of each partner’s token bucket (the usage plan’s rate limit); 0 turns the limit off.',
  }),
  partnerBurst: integer({
    env: 'EXAMLAKE_PARTNER_BURST',
    default: '20',
    min: 1,
    unit: 'requests',
    description: 'Size of each partner’s token bucket (the usage plan’s burst limit).',
  }),
  principalRequestsPerSecond: integer({
    env: 'EXAMLAKE_PRINCIPAL_REQUESTS_PER_SECOND',
    default: '50',
    min: 0,
    unit: 'requests/s',
    description:
      'Steady rate of the token bucket of each signed-in caller who is not a partner (per token subject); 0 turns the limit off.',
  }),
  principalBurst: integer({
    env: 'EXAMLAKE_PRINCIPAL_BURST',
    default: '500',
    min: 1,
    unit: 'requests',
    description: 'Size of the token bucket of each signed-in caller who is not a partner.',
  }),
  principalMaxInFlight: integer({
    env: 'EXAMLAKE_PRINCIPAL_MAX_IN_FLIGHT',
    default: '20',
    min: 1,
    unit: 'requests',
    description:
      'Requests one caller (subject, partner or public source address) may have in progress at once on one API instance; more are 429.',
  }),
  openCacheMaxAgeSeconds: integer({
    env: 'EXAMLAKE_OPEN_CACHE_MAX_AGE_SECONDS',
    default: '300',
    min: 0,
    unit: 's',
    description: 'max-age of the public Cache-Control on open-data answers.',
  }),
  authMode: oneOf({
    env: 'EXAMLAKE_AUTH_MODE',
    default: undefined,
    unit: 'cognito|local',
    description:
      'How bearer tokens are verified: `cognito` (a Cognito user pool’s ID tokens, on AWS) or `local` (the local ' +
      'issuer’s JWKS file). Without it the API refuses to start unless an authenticator is injected.',
    values: AUTH_MODES,
  }),
  userPoolId: optionalText({
    env: 'EXAMLAKE_USER_POOL_ID',
    default: undefined,
    unit: 'Cognito user pool id (region_id)',
    description: 'User pool whose ID tokens are accepted (cognito mode; its issuer and JWKS URL derive from it).',
    pattern: { test: /^[\w-]+_[0-9a-zA-Z]+$/, like: 'look like us-east-1_AbC123' },
  }),
  clientId: optionalText({
    env: 'EXAMLAKE_CLIENT_ID',
    default: undefined,
    unit: 'app client id',
    description:
      'App client the ID tokens must be issued for (their `aud`); several comma-separated; required in both modes. Locally ' +
      '`examlake-local` (LOCAL_CLIENT_ID).',
  }),
  localIssuer: optionalText({
    env: 'EXAMLAKE_LOCAL_ISSUER',
    default: undefined,
    unit: 'URL',
    description:
      'Issuer (`iss`) of local tokens (local mode): the local stack passes its issuer, `http://localhost/examlake-local`.',
  }),
  localJwksFile: optionalText({
    env: 'EXAMLAKE_LOCAL_JWKS_FILE',
    default: undefined,
    unit: 'path',
    description: 'The local issuer’s public JWKS, `<dataDir>/identity/jwks.json` (local mode).',
  }),
  publicUrl: baseUrl({
    env: 'EXAMLAKE_PUBLIC_URL',
    default: '',
    unit: 'URL',
    description:
      'The API’s base URL as browsers call it, stage included (`https://<id>.execute-api.<region>.amazonaws.com/api` ' +
      'on AWS; the local gateway’s URL locally): the `servers` of the contract served at `/openapi.yaml`, so Swagger ' +
      'UI’s Try it out calls the API. Empty: the contract’s own `servers`.',
  }),
  oauthDomainUrl: baseUrl({
    env: 'EXAMLAKE_OAUTH_DOMAIN_URL',
    default: '',
    unit: 'URL',
    description:
      'Base URL of the OAuth sign-in endpoints (`/oauth2/authorize`, `/oauth2/token`): the Cognito hosted domain on ' +
      'AWS, the local gateway (the local issuer’s sign-in page) locally. The served contract’s `cognito` flow points ' +
      'there. Empty: the contract’s own URLs.',
  }),
  corsAllowOrigins: list({
    env: 'EXAMLAKE_CORS_ALLOW_ORIGINS',
    default: '',
    unit: 'comma-separated origins (https://host) or *',
    description:
      'Origins whose browsers may read API responses (Swagger UI on another host, e.g. CloudFront on AWS). Empty: ' +
      'no CORS headers (locally Swagger UI is served by the API itself).',
    item: /^(?:\*|https?:\/\/[a-z0-9.-]+(?::\d+)?)$/i,
    like: 'origins like https://d111.cloudfront.net (or *)',
  }),
  logLevel: text({
    env: 'POWERTOOLS_LOG_LEVEL',
    default: 'INFO',
    unit: 'DEBUG|INFO|WARN|ERROR|SILENT',
    description: 'Structured log level (Powertools Logger).',
  }),
} as const;
