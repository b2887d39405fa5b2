import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IgnoreStrategy } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { EXTRACTS_PREFIX as API_EXTRACTS_PREFIX } from '../../../api/adapters/s3/S3ExtractFiles';
import { DATASETS } from '../../../etl/schemas/datasets';
import { apiRoutes } from '../../../infra/aws/apiRoutes';
import { corsOriginsWithDocs } from '../../../infra/aws/config';
import { API_STAGE } from '../../../infra/aws/constructs/ApiGateway';
import { PROJECT_ROOT } from '../../../infra/aws/constructs/ExamlakeFunction';
import {
  GLUE_METRICS_NAMESPACE,
  TRANSFORM_PACKAGE,
  TRANSFORM_PACKAGE_EXCLUDE,
  TRANSFORM_SCRIPT,
} from '../../../infra/aws/constructs/TransformJob';
import { EXTRACTS_PREFIX, TRANSFORM_JOB, WORKGROUP } from '../../../infra/resources';
import { API_SETTINGS } from '../../../settings/apiSettings';
import { statelessTemplate, synthesizeApp } from './synthesizeApp';
import { resourcesOfType, type TemplateResource } from './templateQueries';

/** Statements of every IAM policy attached to a role whose logical id starts with `rolePrefix`. */
function statementsOf(template: Template, rolePrefix: string) {
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)))
    .flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]).map((statement) => ({
        policy: policy.logicalId,
        sid: statement.Sid as string | undefined,
        actions: ([] as string[]).concat(statement.Action as string | string[]),
        resources: ([] as unknown[]).concat(statement.Resource),
        effect: statement.Effect,
      })),
    );
}

const text = (value: unknown) => JSON.stringify(value);

describe('StatelessStack', () => {
  let template: Template;
  let configured: Template;
  let apiFunction: TemplateResource;

  beforeAll(() => {
    template = statelessTemplate();
    configured = statelessTemplate({
      partnerUsagePlan: 'true',
      alarmEmail: 'ops@example.org',
      apiReservedConcurrency: '20',
      corsAllowOrigins: 'https://portal.example.org',
      logRetentionDays: '30',
    });
    const functions = resourcesOfType(template, 'AWS::Lambda::Function').filter((f) =>
      f.logicalId.startsWith('ApiFunction'),
    );
    expect(functions).toHaveLength(1);
    apiFunction = functions[0]!;
  });

  describe('API function', () => {
    it('runs the bundled api/handler.ts on Node.js 24 on ARM64 with active tracing', () => {
      expect(apiFunction.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'api/http/index.handler',
        MemorySize: 1024,
        Timeout: 29,
      });
    });

    it('names every required API setting from the stateful stack and the workgroup', () => {
      const env = apiFunction.Properties.Environment.Variables as Record<string, unknown>;
      // Settings without a default, except those of the local issuer (EXAMLAKE_AUTH_MODE=local only).
      const required = Object.entries(API_SETTINGS)
        .filter(([name, s]) => s.default === undefined && !name.startsWith('local'))
        .map(([, s]) => s);
      for (const setting of required) expect([setting.env, env[setting.env]]).toEqual([setting.env, expect.anything()]);
      expect(text(env[API_SETTINGS.cacheTable.env])).toContain('StateTablesCache');
      expect(text(env[API_SETTINGS.resultsBucket.env])).toContain('DataBucketsResults');
      // The secret's ARN (a Ref to the secret), never its value.
      expect(env[API_SETTINGS.signingKeySecretId.env]).toEqual({
        Ref: expect.stringMatching(/^ApiFunctionSigningSecret/),
      });
      expect(JSON.stringify(apiFunction.Properties)).not.toContain('resolve:secretsmanager');
      expect(env[API_SETTINGS.corsAllowOrigins.env]).toBe('*');
      expect(env[API_SETTINGS.workGroup.env]).toEqual(
        resourcesOfType(template, 'AWS::Athena::WorkGroup')[0]!.Properties.Name,
      );
      expect(env[API_SETTINGS.authMode.env]).toBe('cognito');
      expect(text(env[API_SETTINGS.userPoolId.env])).toContain('IdentityUserPool');
      expect(text(env[API_SETTINGS.clientId.env])).toContain('IdentityUserPoolApiClient');
    });

    it('serves its contract naming the API stage and the hosted sign-in domain, not the repository’s examples', () => {
      const env = apiFunction.Properties.Environment.Variables as Record<string, unknown>;
      const publicUrl = text(env[API_SETTINGS.publicUrl.env]);
      expect(publicUrl).toContain('ApiGatewayRestApi');
      expect(publicUrl).toContain('.execute-api.');
      expect(publicUrl).toContain(`/${API_STAGE}"`);
      expect(text(env[API_SETTINGS.oauthDomainUrl.env])).toContain('IdentityUserPoolHostedDomain');
      expect(env).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'examlake-api', POWERTOOLS_METRICS_NAMESPACE: 'examlake' });
    });

    it('runs without source maps unless the stage config turns them on', () => {
      expect(apiFunction.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      const withMaps = statelessTemplate({ sourceMaps: 'true' });
      for (const fn of resourcesOfType(withMaps, 'AWS::Lambda::Function').filter((f) =>
        /^(ApiFunction|EtlTriggers)/.test(f.logicalId),
      )) {
        expect([fn.logicalId, fn.Properties.Environment.Variables.NODE_OPTIONS]).toEqual([
          fn.logicalId,
          '--enable-source-maps',
        ]);
      }
    });

    it('reserves concurrency only when the stage config asks for it', () => {
      expect(apiFunction.Properties.ReservedConcurrentExecutions).toBeUndefined();
      configured.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'api/http/index.handler',
        ReservedConcurrentExecutions: 20,
      });
    });

    it('keeps every log group for the configured retention, retained with the data by default', () => {
      for (const group of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
        expect([group.logicalId, group.Properties.RetentionInDays]).toEqual([group.logicalId, 90]);
      }
      for (const group of resourcesOfType(configured, 'AWS::Logs::LogGroup')) {
        expect(group.Properties.RetentionInDays).toBe(30);
      }
      const retained = resourcesOfType(template, 'AWS::Logs::LogGroup').filter((g) => g.DeletionPolicy === 'Retain');
      expect(retained.map((g) => g.logicalId.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
        'ApiFunctionApiLogs',
        'ApiGatewayAccessLogs',
        'EtlTriggersIngestLogs',
        'EtlTriggersJobStateLogs',
      ]);
    });
  });

  describe('least privilege', () => {
    it('attaches no managed policy to any role', () => {
      for (const role of resourcesOfType(template, 'AWS::IAM::Role')) {
        expect([role.logicalId, role.Properties.ManagedPolicyArns]).toEqual([role.logicalId, undefined]);
      }
    });

    it('grants no action wildcard and no resource wildcard except where the service has no resources', () => {
      const statements = ['ApiFunction', 'EtlTriggers', 'TransformJob'].flatMap((prefix) =>
        statementsOf(template, prefix),
      );
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(statement.effect).toBe('Allow');
        for (const action of statement.actions) expect(action).not.toContain('*');
        if (statement.resources.includes('*')) {
          // X-Ray, and Glue's metrics (held to the Glue namespace by a condition, tested below).
          expect([['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], ['cloudwatch:PutMetricData']]).toContainEqual(
            statement.actions.sort(),
          );
        }
      }
    });

    it('keeps object wildcards in a policy of their own, each under a fixed prefix', () => {
      const prefixes = statementsOf(template, 'ApiFunction').filter((s) =>
        s.policy.startsWith('ApiFunctionObjectPrefixes'),
      );
      expect(prefixes.map((s) => s.sid).sort()).toEqual([
        'ManageExtracts',
        'ReadAndWriteQueryResults',
        'ReadCuratedDatasets',
      ]);
      const suffixes = prefixes.flatMap((s) => s.resources.map((r) => text(r).match(/"(\/[a-z_]+\/\*)"/)?.[1]));
      expect(suffixes.sort()).toEqual(
        ['/athena/*', `/${EXTRACTS_PREFIX}*`, ...Object.keys(DATASETS).map((d) => `/${d}/*`)].sort(),
      );
      for (const statement of prefixes) for (const action of statement.actions) expect(action).toMatch(/^s3:/);
    });

    it('lets the API read, write and delete extracts only under their prefix, and read the pseudonym key', () => {
      const extracts = statementsOf(template, 'ApiFunction').find((s) => s.sid === 'ManageExtracts')!;
      expect(extracts.actions.sort()).toEqual(
        [
          's3:AbortMultipartUpload',
          's3:DeleteObject',
          's3:GetObject',
          's3:ListMultipartUploadParts',
          's3:PutObject',
        ].sort(),
      );
      expect(text(extracts.resources)).toContain('DataBucketsResults');
      expect(EXTRACTS_PREFIX).toBe(API_EXTRACTS_PREFIX);
      const key = statementsOf(template, 'ApiFunction').find((s) => s.sid === 'ReadThePseudonymKey')!;
      expect(key.actions).toEqual(['secretsmanager:GetSecretValue']);
    });

    it('lets the API read curated datasets but never the rejects', () => {
      const reads = statementsOf(template, 'ApiFunction').find((s) => s.sid === 'ReadCuratedDatasets')!;
      expect(text(reads.resources)).toContain('DataBucketsCurated');
      expect(text(reads.resources)).not.toContain('_rejects');
    });

    it('lets the API list only the datasets’ prefixes of the curated bucket, never _rejects/', () => {
      const lists = statementsOf(template, 'ApiFunction').filter((s) => s.actions.includes('s3:ListBucket'));
      expect(lists.map((s) => s.sid).sort()).toEqual(['ListCuratedDatasets', 'ListQueryResults']);
      const curated = lists.find((s) => s.sid === 'ListCuratedDatasets')!;
      expect(text(curated.resources)).toContain('DataBucketsCurated');
      expect(text(lists.find((s) => s.sid === 'ListQueryResults')!.resources)).not.toContain('DataBucketsCurated');
      const [policy] = resourcesOfType(template, 'AWS::IAM::Policy').filter((p) => p.logicalId === curated.policy);
      const statement = (policy!.Properties.PolicyDocument.Statement as Record<string, unknown>[]).find(
        (st) => st.Sid === 'ListCuratedDatasets',
      )!;
      expect(statement.Condition).toEqual({
        StringLike: { 's3:prefix': Object.keys(DATASETS).map((d) => `${d}/*`) },
      });
    });

    it('gives each ETL handler only the runs-table actions its code calls', () => {
      const dynamo = (prefix: string) =>
        statementsOf(template, prefix)
          .flatMap((s) => s.actions)
          .filter((a) => a.startsWith('dynamodb:'))
          .sort();
      expect(dynamo('EtlTriggersIngest')).toEqual(['dynamodb:UpdateItem']);
      expect(dynamo('EtlTriggersJobState')).toEqual(['dynamodb:DeleteItem', 'dynamodb:UpdateItem']);
    });

    it('runs queries only in its own workgroup and reads only the dataset tables of the catalog', () => {
      const statements = statementsOf(template, 'ApiFunction');
      const athena = statements.find((s) => s.sid === 'RunQueriesInTheWorkGroup')!;
      expect(text(athena.resources)).toContain(':workgroup/examlakedevstateless-Analytics');
      const glue = statements.find((s) => s.sid === 'ReadTheCatalog')!;
      const tables = glue.resources.map(text).filter((r) => r.includes(':table/'));
      expect(tables.map((t) => t.match(/:table\/([^"]+)"/)?.[1]).sort()).toEqual(
        Object.keys(DATASETS).map((d) => `examlake/${d}`),
      );
    });
  });

  describe('REST API', () => {
    it('has one method per operation of openapi.yaml, authorized by Cognito unless the contract makes it public', () => {
      const methods = resourcesOfType(template, 'AWS::ApiGateway::Method').filter(
        (m) => m.Properties.HttpMethod !== 'OPTIONS',
      );
      const byName = new Map(methods.map((m) => [m.Properties.OperationName as string, m]));
      const routes = apiRoutes();
      expect([...byName.keys()].sort()).toEqual(routes.map((r) => r.operationId).sort());
      for (const route of routes) {
        const method = byName.get(route.operationId)!;
        expect([route.operationId, method.Properties.HttpMethod, method.Properties.AuthorizationType]).toEqual([
          route.operationId,
          route.method,
          route.public ? 'NONE' : 'COGNITO_USER_POOLS',
        ]);
        expect(method.Properties.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
      }
      expect(routes.filter((r) => r.public).map((r) => r.operationId)).toEqual(
        expect.arrayContaining(['getHealth', 'listOpenReports', 'runOpenReport']),
      );
      expect(routes.find((r) => r.operationId === 'runReport')?.public).toBe(false);
    });

    it('authorizes against the stateful user pool', () => {
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        IdentitySource: 'method.request.header.Authorization',
        ProviderARNs: [
          Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'examlake-dev-stateful' }) }),
        ],
      });
    });

    it('throttles the stage, traces it and writes JSON access logs', () => {
      const [stage] = resourcesOfType(template, 'AWS::ApiGateway::Stage');
      expect(stage!.Properties).toMatchObject({ StageName: API_STAGE, TracingEnabled: true });
      expect(stage!.Properties.MethodSettings).toEqual([
        expect.objectContaining({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, MetricsEnabled: true }),
      ]);
      const format = JSON.parse(stage!.Properties.AccessLogSetting.Format);
      expect(Object.keys(format)).toEqual(
        expect.arrayContaining(['requestId', 'ip', 'sub', 'status', 'responseLatencyMs', 'authorizerError']),
      );
    });

    it('requires API keys and meters partners through a usage plan only when configured', () => {
      template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
      for (const m of resourcesOfType(template, 'AWS::ApiGateway::Method')) {
        expect(m.Properties.ApiKeyRequired ?? false).toBe(false);
      }
      configured.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: 5, BurstLimit: 10 },
        Quota: { Limit: 10000, Period: 'DAY' },
      });
      for (const m of resourcesOfType(configured, 'AWS::ApiGateway::Method')) {
        const protectedRoute = m.Properties.AuthorizationType === 'COGNITO_USER_POOLS';
        expect([m.Properties.OperationName, m.Properties.ApiKeyRequired ?? false]).toEqual([
          m.Properties.OperationName,
          protectedRoute,
        ]);
      }
    });

    it('answers CORS preflight for the configured origins and the docs site, gateway errors for the docs site', () => {
      const [distribution] = resourcesOfType(configured, 'AWS::CloudFront::Distribution');
      const docsDomain = { 'Fn::GetAtt': [distribution!.logicalId, 'DomainName'] };
      const preflight = resourcesOfType(configured, 'AWS::ApiGateway::Method').find(
        (m) => m.Properties.HttpMethod === 'OPTIONS',
      )!;
      const integration = text(preflight.Properties.Integration);
      expect(integration).toContain('https://portal.example.org');
      expect(integration).toContain(text(docsDomain));
      // A gateway response carries one origin: the docs site's, whose Swagger UI must read the errors.
      const [gatewayError] = resourcesOfType(configured, 'AWS::ApiGateway::GatewayResponse').filter(
        (r) => r.Properties.ResponseType === 'DEFAULT_4XX',
      );
      expect(gatewayError!.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toEqual(
        {
          'Fn::Join': ['', ["'https://", docsDomain, "'"]],
        },
      );
    });

    it('always lets the docs site’s origin read API responses, also when a list of origins is configured', () => {
      const [distribution] = resourcesOfType(configured, 'AWS::CloudFront::Distribution');
      const functions = resourcesOfType(configured, 'AWS::Lambda::Function').filter((f) =>
        f.logicalId.startsWith('ApiFunction'),
      );
      const origins = functions[0]!.Properties.Environment.Variables[API_SETTINGS.corsAllowOrigins.env];
      expect(origins).toEqual({
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [distribution!.logicalId, 'DomainName'] }, ',https://portal.example.org'],
        ],
      });
    });
  });

  describe('transform job', () => {
    it('runs the PySpark script on Glue 5.0, one run at a time, with the timeout of resources.ts', () => {
      const [job] = resourcesOfType(template, 'AWS::Glue::Job');
      expect(job!.Properties).toMatchObject({
        GlueVersion: TRANSFORM_JOB.glueVersion,
        Command: { Name: 'glueetl', PythonVersion: '3' },
        ExecutionProperty: { MaxConcurrentRuns: TRANSFORM_JOB.maxConcurrentRuns },
        Timeout: TRANSFORM_JOB.timeoutMinutes,
        WorkerType: 'G.1X',
        NumberOfWorkers: 2,
      });
      expect(text(job!.Properties.Command.ScriptLocation)).toMatch(/s3:\/\/.*\.py"/);
    });

    it('turns Glue bookmarks off, drops continuous logging, and passes every argument the script reads', () => {
      const [job] = resourcesOfType(template, 'AWS::Glue::Job');
      const args = job!.Properties.DefaultArguments as Record<string, unknown>;
      expect(args).toMatchObject({
        '--job-bookmark-option': 'job-bookmark-disable',
        '--reprocess_all': 'false',
        '--storage_scheme': 's3',
        '--enable-metrics': 'true',
      });
      expect(args['--enable-continuous-cloudwatch-log']).toBeUndefined();
      const script = readFileSync(path.join(PROJECT_ROOT, TRANSFORM_SCRIPT), 'utf8');
      for (const name of [
        'raw_bucket',
        'curated_bucket',
        'runs_table',
        'glue_database',
        'schema_document',
        'student_key_secret_id',
        'reprocess_all',
      ]) {
        expect([name, `--${name}` in args, script.includes(`"${name}"`)]).toEqual([name, true, true]);
      }
      expect(text(args['--extra-files'])).toContain(String(args['--schema_document']));
    });

    it('ships the script’s package as a zip asset on --extra-py-files, holding only examlake_etl/', () => {
      const [job] = resourcesOfType(template, 'AWS::Glue::Job');
      const args = job!.Properties.DefaultArguments as Record<string, unknown>;
      expect(text(args['--extra-py-files'])).toMatch(/s3:\/\/.*\.zip"/);
      const root = path.join(PROJECT_ROOT, path.dirname(TRANSFORM_PACKAGE));
      const pkg = path.basename(TRANSFORM_PACKAGE);
      const ignore = IgnoreStrategy.glob(root, [...TRANSFORM_PACKAGE_EXCLUDE]);
      for (const name of readdirSync(root)) {
        expect([name, ignore.ignores(path.join(root, name))]).toEqual([name, name !== pkg]);
      }
      expect(ignore.ignores(path.join(root, pkg, '__init__.py'))).toBe(false);
      expect(ignore.ignores(path.join(root, pkg, 'run_job.py'))).toBe(false);
      expect(ignore.ignores(path.join(root, pkg, '__pycache__'))).toBe(true);
    });

    it('publishes Glue metrics with PutMetricData held to the Glue namespace', () => {
      const [statement] = statementsOf(template, 'TransformJob').filter((s) =>
        s.actions.includes('cloudwatch:PutMetricData'),
      );
      expect(statement!.actions).toEqual(['cloudwatch:PutMetricData']);
      const [policy] = resourcesOfType(template, 'AWS::IAM::Policy').filter((p) => p.logicalId === statement!.policy);
      expect(policy!.Properties.PolicyDocument.Statement[0].Condition).toEqual({
        StringEquals: { 'cloudwatch:namespace': GLUE_METRICS_NAMESPACE },
      });
    });

    it('encrypts S3 output and CloudWatch logs through its security configuration; no bookmarks to encrypt', () => {
      const [config] = resourcesOfType(template, 'AWS::Glue::SecurityConfiguration');
      const encryption = config!.Properties.EncryptionConfiguration;
      expect(encryption.S3Encryptions).toEqual([{ S3EncryptionMode: 'SSE-S3' }]);
      expect(encryption.CloudWatchEncryption.CloudWatchEncryptionMode).toBe('SSE-KMS');
      expect(encryption.JobBookmarksEncryption.JobBookmarksEncryptionMode).toBe('DISABLED');
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      const [job] = resourcesOfType(template, 'AWS::Glue::Job');
      expect(job!.Properties.SecurityConfiguration).toEqual({ Ref: config!.logicalId });
    });

    it('lets the job write only dataset versions and rejects in the curated bucket', () => {
      const writes = statementsOf(template, 'TransformJob').filter((s) => s.actions.includes('s3:PutObject'));
      const prefixes = writes.flatMap((s) => s.resources.map((r) => text(r).match(/"\/([^"]+)"\]/)?.[1]));
      expect(prefixes.sort()).toEqual([...Object.keys(DATASETS).map((d) => `${d}/*`), '_rejects/*'].sort());
    });
  });

  describe('event rules', () => {
    it('starts the ingest trigger on Object Created under a dataset prefix of the raw bucket', () => {
      const rule = resourcesOfType(template, 'AWS::Events::Rule').find((r) => r.logicalId.includes('ObjectCreated'))!;
      expect(rule.Properties.EventPattern).toMatchObject({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { object: { key: Object.keys(DATASETS).map((d) => ({ prefix: `${d}/` })) } },
      });
      expect(text(rule.Properties.EventPattern.detail.bucket.name)).toContain('DataBucketsRaw');
      expect(text(rule.Properties.Targets)).toContain('EtlTriggersIngest');
    });

    it('records the end of runs of this job only', () => {
      const rule = resourcesOfType(template, 'AWS::Events::Rule').find((r) => r.logicalId.includes('JobStateChange'))!;
      const [job] = resourcesOfType(template, 'AWS::Glue::Job');
      expect(rule.Properties.EventPattern).toMatchObject({
        source: ['aws.glue'],
        'detail-type': ['Glue Job State Change'],
        detail: { jobName: [job!.Properties.Name] },
      });
    });

    it('retries every target and keeps undeliverable events in an encrypted dead-letter queue', () => {
      const targets = resourcesOfType(template, 'AWS::Events::Rule').flatMap((r) => r.Properties.Targets ?? []);
      const lambdaTargets = targets.filter((t: { Arn: unknown }) => text(t.Arn).includes('Function'));
      expect(lambdaTargets).toHaveLength(2);
      for (const t of lambdaTargets) {
        expect(t.RetryPolicy).toEqual({ MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 });
        expect(t.DeadLetterConfig.Arn).toBeDefined();
      }
      for (const queue of resourcesOfType(template, 'AWS::SQS::Queue')) {
        expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      }
      const functions = resourcesOfType(template, 'AWS::Lambda::Function').filter((f) =>
        f.logicalId.startsWith('EtlTriggers'),
      );
      expect(functions).toHaveLength(2);
      for (const fn of functions) expect(fn.Properties.DeadLetterConfig.TargetArn).toBeDefined();
    });
  });

  describe('Athena workgroup', () => {
    it('enforces engine v3, the results location with SSE and the scan cutoff of resources.ts', () => {
      const [workGroup] = resourcesOfType(template, 'AWS::Athena::WorkGroup');
      expect(workGroup!.Properties.WorkGroupConfiguration).toMatchObject({
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: WORKGROUP.bytesScannedCutoffPerQuery,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      });
      const location = text(workGroup!.Properties.WorkGroupConfiguration.ResultConfiguration.OutputLocation);
      expect(location).toContain('DataBucketsResults');
      expect(location).toContain('/athena/');
    });
  });

  describe('docs site', () => {
    it('serves the private docs bucket through CloudFront origin access control over HTTPS only', () => {
      template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
      const [distribution] = resourcesOfType(template, 'AWS::CloudFront::Distribution');
      const config = distribution!.Properties.DistributionConfig;
      expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(config.Origins[0].OriginAccessControlId).toBeDefined();
      expect(config.Origins[0].S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
      expect(text(config.Origins[0].DomainName)).toContain('DataBucketsDocs');
    });

    it('sends security headers: CSP, HSTS, no framing, no sniffing', () => {
      const [policy] = resourcesOfType(template, 'AWS::CloudFront::ResponseHeadersPolicy');
      const headers = policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      expect(text(headers.ContentSecurityPolicy.ContentSecurityPolicy)).toContain("frame-ancestors 'none'");
      expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000, Override: true });
      expect(headers.FrameOptions.FrameOption).toBe('DENY');
      expect(headers.ContentTypeOptions.Override).toBe(true);
    });

    it('publishes the contract and an initializer configured with the API URL and the client', () => {
      const [deployment] = resourcesOfType(template, 'Custom::CDKBucketDeployment');
      const markers = text(deployment!.Properties.SourceMarkers);
      expect(markers).toContain('ApiGatewayRestApi');
      expect(markers).toContain('IdentityUserPoolApiClient');
      // The published contract's sign-in URLs: the hosted domain (deployedContract, test/api/docs/servedContract.test.ts).
      expect(markers).toContain('IdentityUserPoolHostedDomain');
      expect(text(deployment!.Properties.DestinationBucketName)).toContain('DataBucketsDocs');
    });
    it('deploys the web app under app/ with a config.json naming the API stage, the user pool and the app client', () => {
      const [deployment] = resourcesOfType(template, 'Custom::CDKBucketDeployment');
      // Swagger UI, the contract, its initializer, the web app's bundle and its config.json.
      expect(deployment!.Properties.SourceObjectKeys).toHaveLength(5);
      const markers = text(deployment!.Properties.SourceMarkers);
      expect(markers).toMatch(/PublishOutputRefIdentityUserPool[0-9A-F]{8}/);
      expect(markers).toContain('DocsSiteDistribution');
      expect(text(template.findOutputs('WebAppUrl'))).toContain('/app/index.html');
      const { stateless } = synthesizeApp();
      const config = text(stateless.resolve(stateless.docs.webAppConfig));
      expect(config).toContain('https://cognito-idp.');
      expect(config).toContain('/logout?client_id=');
      expect(config).toContain('/app/index.html');
      expect(config).toContain('ApiGatewayRestApi');
    });

    it("lets the web app read the user pool's discovery document and keys (CSP connect-src)", () => {
      const [policy] = resourcesOfType(template, 'AWS::CloudFront::ResponseHeadersPolicy');
      const csp = text(policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);
      expect(csp).toContain('https://cognito-idp.');
      expect(csp).toContain("script-src 'self'");
    });
  });

  describe('monitoring', () => {
    it('sends every alarm to the alarm topic, and subscribes the configured address', () => {
      const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
      expect(alarms.length).toBeGreaterThanOrEqual(4);
      for (const alarm of alarms) {
        expect(text(alarm.Properties.AlarmActions)).toContain('MonitoringAlarms');
      }
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      configured.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
    });

    it('charts API latency and errors, the cache hit ratio and Athena bytes scanned', () => {
      const [dashboard] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard');
      const body = text(dashboard!.Properties.DashboardBody);
      for (const needle of ['Latency', '5XXError', 'CacheHit', 'CacheMiss', 'ProcessedBytes', 'examlake-api']) {
        expect([needle, body.includes(needle)]).toEqual([needle, true]);
      }
    });
  });
});

describe('corsOriginsWithDocs', () => {
  it('puts the docs origin first, once, unless any origin is allowed', () => {
    const docs = 'https://d111.cloudfront.net';
    expect(corsOriginsWithDocs(['https://portal.example.org'], docs)).toEqual([docs, 'https://portal.example.org']);
    expect(corsOriginsWithDocs([docs, 'https://portal.example.org'], docs)).toEqual([
      docs,
      'https://portal.example.org',
    ]);
    expect(corsOriginsWithDocs(['*'], docs)).toEqual(['*']);
    expect(corsOriginsWithDocs([], docs)).toEqual([docs]);
  });
});
