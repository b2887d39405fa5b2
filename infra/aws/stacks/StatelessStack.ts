import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { DATASETS } from '../../../etl/schemas/datasets';
import { API_SETTINGS } from '../../../settings/apiSettings';
import { apiRoutes } from '../apiRoutes';
import { corsOriginsWithDocs, type StageConfig } from '../config';
import { Analytics } from '../constructs/Analytics';
import { ApiFunction } from '../constructs/ApiFunction';
import { ApiGateway } from '../constructs/ApiGateway';
import { DocsSite } from '../constructs/DocsSite';
import { EtlTriggers } from '../constructs/EtlTriggers';
import { Monitoring } from '../constructs/Monitoring';
import { TransformJob } from '../constructs/TransformJob';
import type { StatefulStack } from './StatefulStack';

export interface StatelessStackProps extends StackProps {
  readonly config: StageConfig;
  /** The data, tables, catalog and user pool this stack's code works on. */
  readonly stateful: StatefulStack;
}

/**
 * Everything that can be deleted and recreated without losing data: the functions, the Glue job, the event
 * rules, the Athena workgroup, the REST API, the docs site and the monitoring. It only composes constructs,
 * wiring each to the stateful resources it uses.
 */
export class StatelessStack extends Stack {
  readonly analytics: Analytics;
  readonly transform: TransformJob;
  readonly etl: EtlTriggers;
  readonly api: ApiFunction;
  readonly gateway: ApiGateway;
  readonly docs: DocsSite;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const { buckets, tables, catalog, identity } = stateful;
    const retainLogs = !config.destroyDataOnRemoval;

    this.analytics = new Analytics(this, 'Analytics', { resultsBucket: buckets.results });

    this.docs = new DocsSite(this, 'DocsSite', {
      bucket: buckets.docs,
      // The gateway is built below, with the docs site's origin among its CORS origins.
      apiBaseUrl: Lazy.string({ produce: () => this.gateway.baseUrl }),
      clientId: identity.apiClient.userPoolClientId,
      hostedDomainUrl: identity.hostedDomainUrl,
      userPoolId: identity.userPool.userPoolId,
      logRetentionDays: config.logRetentionDays,
    });

    const corsAllowOrigins = corsOriginsWithDocs(config.corsAllowOrigins, this.docs.origin);

    this.api = new ApiFunction(this, 'ApiFunction', {
      cacheTable: tables.cache,
      grantsTable: tables.grants,
      runsTable: tables.runs,
      resultsBucket: buckets.results,
      curatedBucket: buckets.curated,
      pseudonymKey: stateful.pseudonymKey.secret,
      workGroupName: this.analytics.workGroupName,
      workGroupArn: this.analytics.workGroupArn,
      glueDatabaseName: catalog.databaseName,
      glueCatalogArn: catalog.catalogArn,
      glueDatabaseArn: catalog.databaseArn,
      glueTableArn: (name) => catalog.tableArn(name),
      memorySizeMb: config.apiMemoryMb,
      reservedConcurrentExecutions: config.apiReservedConcurrency,
      logRetentionDays: config.logRetentionDays,
      retainLogs,
      userPoolId: identity.userPool.userPoolId,
      clientId: identity.apiClient.userPoolClientId,
      corsAllowOrigins,
      sourceMaps: config.sourceMaps,
    });

    this.transform = new TransformJob(this, 'TransformJob', {
      rawBucket: buckets.raw,
      curatedBucket: buckets.curated,
      runsTable: tables.runs,
      glueDatabaseName: catalog.databaseName,
      glueDatabaseArn: catalog.databaseArn,
      glueCatalogArn: catalog.catalogArn,
      glueTableArn: (name) => catalog.tableArn(name),
      datasets: Object.keys(DATASETS),
      pseudonymKey: stateful.pseudonymKey.secret,
      workers: config.transformWorkers,
      retainKey: retainLogs,
    });
    this.etl = new EtlTriggers(this, 'EtlTriggers', {
      rawBucket: buckets.raw,
      curatedBucket: buckets.curated,
      runsTable: tables.runs,
      glueDatabaseName: catalog.databaseName,
      jobName: this.transform.jobName,
      jobArn: this.transform.jobArn,
      prefixes: Object.keys(DATASETS).map((dataset) => `${dataset}/`),
      logRetentionDays: config.logRetentionDays,
      retainLogs,
      sourceMaps: config.sourceMaps,
    });

    this.gateway = new ApiGateway(this, 'ApiGateway', {
      handler: this.api.fn.function,
      userPool: identity.userPool,
      routes: apiRoutes(),
      rateLimitPerSecond: config.apiRateLimitPerSecond,
      burstLimit: config.apiBurstLimit,
      corsAllowOrigins,
      logRetentionDays: config.logRetentionDays,
      retainLogs,
      ...(config.partnerUsagePlan
        ? {
            partnerUsagePlan: {
              rateLimitPerSecond: config.partnerRateLimitPerSecond,
              burstLimit: config.partnerBurstLimit,
              requestsPerDay: config.partnerRequestsPerDay,
            },
          }
        : {}),
    });

    // The contract the API serves names this stage and the hosted sign-in (not the repository's local examples).
    // Set here, not as ApiFunction props: the stage URL exists only once the REST API in front of the function does.
    this.api.fn.function.addEnvironment(API_SETTINGS.publicUrl.env, this.gateway.baseUrl);
    this.api.fn.function.addEnvironment(API_SETTINGS.oauthDomainUrl.env, identity.hostedDomainUrl);

    this.monitoring = new Monitoring(this, 'Monitoring', {
      api: this.gateway.api,
      apiFunction: this.api.fn.function,
      functions: {
        Api: this.api.fn.function,
        IngestTrigger: this.etl.ingest.function,
        JobState: this.etl.jobState.function,
      },
      deadLetterQueues: { IngestEvents: this.etl.deadLetters.ingest, JobStateEvents: this.etl.deadLetters.jobState },
      transformFailures: this.etl.failedRuns,
      workGroupName: this.analytics.workGroupName,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });

    this.etl.failureRule.addTarget(new SnsTopic(this.monitoring.topic));

    const outputs: Record<string, { value: string; description: string }> = {
      ApiUrl: { value: this.gateway.baseUrl, description: 'Base URL of the REST API (append /v1/health)' },
      DocsUrl: { value: this.docs.url, description: 'Swagger UI' },
      WebAppUrl: {
        value: this.docs.webAppUrl,
        description:
          'The web app; add it to the app client with -c oauthCallbackUrls=… and -c oauthLogoutUrls=… (docs/deploy.md)',
      },
      DocsOAuthCallbackUrl: {
        value: `${this.docs.url}oauth2-redirect.html`,
        description: 'Add to the app client with -c oauthCallbackUrls=… (docs/deploy.md) for Swagger UI sign-in',
      },
      ApiDocsOAuthCallbackUrl: {
        value: `${this.gateway.baseUrl}/docs/oauth2-redirect.html`,
        description: 'The same for the Swagger UI the API serves at /docs (docs/deploy.md)',
      },
      TransformJobName: { value: this.transform.jobName, description: 'Glue job: start it to reprocess' },
      WorkGroupName: { value: this.analytics.workGroupName, description: 'Athena workgroup of the API' },
      SigningKeySecretArn: {
        value: this.api.signingSecret.secretArn,
        description: 'Signing key of page tokens and query handles: rotate with put-secret-value (docs/deploy.md)',
      },
      AlarmTopicArn: { value: this.monitoring.topic.topicArn, description: 'Subscribe to receive alarms' },
    };
    for (const [outputId, output] of Object.entries(outputs)) new CfnOutput(this, outputId, output);
  }
}
