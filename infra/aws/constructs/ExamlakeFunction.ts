import path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The repository root: entries, `package-lock.json` and `openapi.yaml` are found relative to it. */
export const PROJECT_ROOT = path.resolve(__dirname, '../../..');

/**
 * The Lambda runtime of every function. Node.js 24, not the 20 the project develops on: AWS deprecated the
 * nodejs20.x runtime on 2026-04-30 and stops creating functions on it on 2027-02-01. The bundle targets Node 20
 * syntax, so what runs on Lambda is the code the tests ran, on a runtime that accepts it.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/**
 * Actions every function's role holds for the Lambda service rather than for its code: writing its logs,
 * sending its traces, and (with a dead-letter queue) parking a failed asynchronous event.
 */
export const LAMBDA_RUNTIME_ACTIONS = {
  'logs:CreateLogStream': 'Lambda writes the function output to its log group',
  'logs:PutLogEvents': 'Lambda writes the function output to its log group',
  'xray:PutTraceSegments': 'Active tracing sends segments',
  'xray:PutTelemetryRecords': 'Active tracing sends telemetry',
  'sqs:SendMessage': 'Lambda sends an asynchronous event that failed every retry to the dead-letter queue',
} as const;

/** CloudWatch namespace of the Powertools metrics every function publishes (the dashboard reads it). */
export const METRICS_NAMESPACE = 'examlake';

export interface ExamlakeFunctionProps {
  /** Entry file, relative to the repository root (`api/handler.ts`); it exports the handler. */
  readonly entry: string;
  readonly description: string;
  /** Powertools service name: the `service` of every log line, metric dimension and trace. */
  readonly serviceName: string;
  /** Days the function's log group keeps events. */
  readonly logRetentionDays: number;
  /** Keep the log group (audit lines, errors) when the stack is deleted. */
  readonly retainLogs: boolean;
  /**
   * Environment on top of the Powertools settings.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 256 */
  readonly memorySizeMb?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /**
   * Reserved concurrent executions (a ceiling that also guarantees capacity).
   * @default - unreserved, the account's pool
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Handler as `<file without extension>.<export>` inside the bundle.
   * @default 'index.handler'
   */
  readonly handler?: string;
  /** Shell commands run after esbuild, e.g. to copy files the code reads at run time next to the bundle. */
  readonly afterBundling?: ICommandHooks['afterBundling'];
  /**
   * Packages left out of the bundle; the code resolves them at run time (`afterBundling` puts them in place).
   * @default []
   */
  readonly externalModules?: readonly string[];
  /**
   * Where asynchronous invocations (EventBridge) go after the last retry fails.
   * @default - none (synchronous callers see the error themselves)
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * Bundle a source map and run with `--enable-source-maps`.
   * @default false: a map costs cold-start time and heap (StageConfig.sourceMaps)
   */
  readonly sourceMaps?: boolean;
}

/**
 * One Lambda function as every examlake function runs: TypeScript bundled by esbuild on this machine (no
 * Docker), Node.js 24 ({@link FUNCTION_RUNTIME}) on ARM64 (cheaper per GB-second, and our code is architecture-neutral), active X-Ray
 * tracing, Powertools configured through its environment variables, and a log group of its own with a set
 * retention.
 *
 * The role is created here rather than by `lambda.Function` so it starts empty: no `AWSLambdaBasicExecutionRole`
 * managed policy (which may write to any log group), only the right to write to this function's log group.
 * Everything else is granted by the construct that knows what the code does.
 */
export class ExamlakeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: IRole;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ExamlakeFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `examlake ${props.serviceName}: ${props.description}`.slice(0, 1000),
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.role = role;

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      ...(props.handler ? { handler: props.handler } : {}),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySizeMb ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      role,
      logGroup: this.logGroup,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        // Responses can hold result rows; traces keep timings and errors, not data.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node20',
        minify: true,
        sourceMap: props.sourceMaps ?? false,
        // The SDK is bundled, not taken from the runtime: the versions the tests ran are the versions deployed.
        externalModules: [...(props.externalModules ?? [])],
        ...(props.afterBundling
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: props.afterBundling,
              },
            }
          : {}),
      },
    });
    // X-Ray's PutTraceSegments and PutTelemetryRecords have no resource type: they can only be granted on `*`.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
    });
  }
}
