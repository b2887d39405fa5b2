import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ETL_ENV } from '../../../etl/orchestration/etlConfig';
import { ExamlakeFunction } from './ExamlakeFunction';

export interface EtlTriggersProps {
  readonly rawBucket: IBucket;
  readonly curatedBucket: IBucket;
  readonly runsTable: ITable;
  readonly glueDatabaseName: string;
  readonly jobName: string;
  readonly jobArn: string;
  /** Raw-bucket prefixes whose new objects start a run: one per dataset (`exam_results/`). */
  readonly prefixes: readonly string[];
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  /** @default false (see `ExamlakeFunctionProps.sourceMaps`) */
  readonly sourceMaps?: boolean;
}

/** Retries of an event EventBridge could not deliver, and of a function invocation that failed. */
export const EVENT_RETRY_ATTEMPTS = 4;
/** How long EventBridge keeps trying to deliver an event before it goes to the dead-letter queue. */
export const EVENT_MAX_AGE = Duration.hours(2);

/**
 * The ETL's event wiring: the raw bucket's `Object Created` events (under a dataset prefix) invoke the ingest
 * trigger (`etl/orchestration/ingestTriggerHandler.ts`), which starts a transform run; the job's `Glue Job State
 * Change` events invoke the job-state recorder (`jobStateHandler.ts`), which records the run's end and starts a
 * run deferred while the job was busy. Events EventBridge cannot deliver, and invocations that fail after their
 * retries, land in a dead-letter queue per rule, so no upload is silently forgotten.
 */
export class EtlTriggers extends Construct {
  readonly ingest: ExamlakeFunction;
  readonly jobState: ExamlakeFunction;
  readonly ingestRule: Rule;
  readonly jobStateRule: Rule;
  /** Matches runs that failed, timed out or errored; the stack sends them to the alarm topic. */
  readonly failureRule: Rule;
  readonly deadLetters: { readonly ingest: Queue; readonly jobState: Queue };

  constructor(scope: Construct, id: string, props: EtlTriggersProps) {
    super(scope, id);
    const environment = {
      [ETL_ENV.rawBucket]: props.rawBucket.bucketName,
      [ETL_ENV.curatedBucket]: props.curatedBucket.bucketName,
      [ETL_ENV.runsTable]: props.runsTable.tableName,
      [ETL_ENV.glueDatabase]: props.glueDatabaseName,
      [ETL_ENV.transformJob]: props.jobName,
    };
    const deadLetterQueue = (name: string) =>
      new Queue(this, `${name}DeadLetters`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
    this.deadLetters = { ingest: deadLetterQueue('Ingest'), jobState: deadLetterQueue('JobState') };
    const common = {
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
      sourceMaps: props.sourceMaps,
      environment,
      timeout: Duration.seconds(30),
    };
    this.ingest = new ExamlakeFunction(this, 'Ingest', {
      ...common,
      entry: 'etl/orchestration/ingestTriggerHandler.ts',
      description: 'examlake ingest trigger: starts a transform run when an export arrives',
      serviceName: 'examlake-ingest',
      deadLetterQueue: this.deadLetters.ingest,
    });
    this.jobState = new ExamlakeFunction(this, 'JobState', {
      ...common,
      entry: 'etl/orchestration/jobStateHandler.ts',
      description: 'examlake job state: records transform runs and starts deferred ones',
      serviceName: 'examlake-job-state',
      deadLetterQueue: this.deadLetters.jobState,
    });

    for (const fn of [this.ingest, this.jobState]) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'StartTransformRuns', actions: ['glue:StartJobRun'], resources: [props.jobArn] }),
      );
    }
    // Only what each handler calls (etl/orchestration/PendingRunMarker.ts, FinalStateStore.ts).
    this.ingest.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'DeferRuns',
        actions: ['dynamodb:UpdateItem'],
        resources: [props.runsTable.tableArn],
      }),
    );
    this.jobState.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'RecordRunEnds',
        actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [props.runsTable.tableArn],
      }),
    );
    this.jobState.role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'ReadTransformRuns', actions: ['glue:GetJobRun'], resources: [props.jobArn] }),
    );

    const target = (fn: ExamlakeFunction, queue: Queue) =>
      new LambdaFunction(fn.function, {
        deadLetterQueue: queue,
        retryAttempts: EVENT_RETRY_ATTEMPTS,
        maxEventAge: EVENT_MAX_AGE,
      });
    this.ingestRule = new Rule(this, 'ObjectCreated', {
      description: 'examlake: a CSV export arrived in the raw bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.rawBucket.bucketName] },
          object: { key: props.prefixes.map((prefix) => ({ prefix })) },
        },
      },
      targets: [target(this.ingest, this.deadLetters.ingest)],
    });
    this.jobStateRule = new Rule(this, 'JobStateChange', {
      description: 'examlake: a transform run ended',
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: [props.jobName], state: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED', 'ERROR'] },
      },
      targets: [target(this.jobState, this.deadLetters.jobState)],
    });
    this.failureRule = new Rule(this, 'TransformFailed', {
      description: 'examlake: a transform run failed, timed out or errored',
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: [props.jobName], state: ['FAILED', 'TIMEOUT', 'ERROR'] },
      },
    });
  }

  /** Failed runs per period: EventBridge counts each event the failure rule matched. */
  get failedRuns(): Metric {
    return new Metric({
      namespace: 'AWS/Events',
      metricName: 'TriggeredRules',
      dimensionsMap: { RuleName: this.failureRule.ruleName },
      statistic: 'Sum',
      period: Duration.minutes(5),
      label: 'Failed transform runs',
    });
  }
}
