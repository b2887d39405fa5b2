import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from './ExamlakeFunction';

export interface MonitoringProps {
  readonly api: RestApi;
  /** The API function, whose Powertools metrics (`examlake-api` service) carry the cache figures. */
  readonly apiFunction: IFunction;
  /** Every function, for errors and throttles. */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly workGroupName: string;
  /**
   * Queues that hold events nobody could deliver: anything in them is an alarm.
   * @default {}
   */
  readonly deadLetterQueues?: Readonly<Record<string, IQueue>>;
  /**
   * Failed or timed-out transform runs, counted by the rule that sees them.
   * @default - no ETL panel
   */
  readonly transformFailures?: IMetric;
  /**
   * Address subscribed to the alarm topic.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
}

/** Service name of the API's Powertools metrics: their `service` dimension. */
export const API_SERVICE_NAME = 'examlake-api';

/**
 * What an operator looks at and is woken by: a dashboard of the API (latency percentiles, 4xx/5xx), the cache
 * (hit ratio from the API's Powertools metrics), Athena (bytes scanned, the cost driver) and the ETL (failed
 * runs, undeliverable events); alarms on 5xx, latency, function errors and throttles, dead letters and failed
 * runs go to one SNS topic.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', { displayName: 'examlake alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const period = Duration.minutes(5);
    const api = props.api;
    const latencyP50 = api.metricLatency({ statistic: 'p50', period });
    const latencyP99 = api.metricLatency({ statistic: 'p99', period });
    const serverErrors = api.metricServerError({ statistic: 'Sum', period });
    const clientErrors = api.metricClientError({ statistic: 'Sum', period });
    const requests = api.metricCount({ statistic: 'Sum', period });
    const cacheMetric = (metricName: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: API_SERVICE_NAME },
        statistic: 'Sum',
        period,
      });
    const hitRatio = new MathExpression({
      expression: '100 * hits / (hits + misses + joins)',
      usingMetrics: {
        hits: cacheMetric('CacheHit'),
        misses: cacheMetric('CacheMiss'),
        joins: cacheMetric('CacheJoin'),
      },
      label: 'Cache hit ratio (%)',
      period,
    });
    const bytesScanned = new Metric({
      namespace: 'AWS/Athena',
      metricName: 'ProcessedBytes',
      dimensionsMap: { WorkGroup: props.workGroupName },
      statistic: 'Sum',
      period: Duration.hours(1),
      label: 'Athena bytes scanned per hour',
    });

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'API latency (ms)', left: [latencyP50, latencyP99], width: 8 }),
      new GraphWidget({
        title: 'API requests and errors',
        left: [requests],
        right: [clientErrors, serverErrors],
        width: 8,
      }),
      new GraphWidget({
        title: 'Query cache hit ratio (%)',
        left: [hitRatio],
        leftYAxis: { min: 0, max: 100 },
        width: 8,
      }),
    );
    const functionErrors = Object.entries(props.functions).map(([name, fn]) =>
      fn.metricErrors({ period, label: `${name} errors` }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Athena bytes scanned', left: [bytesScanned], width: 8 }),
      new GraphWidget({ title: 'Function errors', left: functionErrors, width: 8 }),
      new SingleValueWidget({
        title: 'Transform failures and dead letters',
        metrics: [
          ...(props.transformFailures ? [props.transformFailures] : []),
          ...Object.values(props.deadLetterQueues ?? {}).map((queue) =>
            queue.metricApproximateNumberOfMessagesVisible({ period }),
          ),
        ],
        width: 8,
      }),
    );

    this.alarm('Api5xx', serverErrors, 1, 'API answered 5xx: see the API function logs by X-Request-Id.');
    this.alarm(
      'ApiLatencyP99',
      latencyP99,
      25_000,
      'API p99 latency near the 29 s API Gateway limit: Athena is slow or queryWaitMs too long.',
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(`${name}Errors`, fn.metricErrors({ period }), 1, `${name} function failed: see its log group.`);
      this.alarm(`${name}Throttles`, fn.metricThrottles({ period }), 1, `${name} function was throttled.`);
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues ?? {})) {
      this.alarm(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        1,
        `Events in the ${name} dead-letter queue could not be delivered: inspect and redrive them.`,
      );
    }
    if (props.transformFailures) {
      this.alarm(
        'TransformFailed',
        props.transformFailures,
        1,
        'A transform run failed or timed out: see the Glue job run.',
      );
    }
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
