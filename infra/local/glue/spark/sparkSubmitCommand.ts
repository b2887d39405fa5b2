import path from 'node:path';
import { s3aConnectorPackage } from './fetchS3aConnector';
import type { SparkRuntime } from './SparkRuntime';

/** The job arguments the AWS job script requires, as the CDK stack sets them on the Glue job (`--name value`). */
export interface SparkJobArguments {
  readonly rawBucket: string;
  readonly curatedBucket: string;
  readonly runsTable: string;
  readonly glueDatabase: string;
  readonly studentKeySecretId: string;
}

/** Everything one spark-submit of the job script is made of. */
export interface SparkSubmitInput {
  readonly runtime: SparkRuntime;
  readonly jobName: string;
  readonly jobRunId: string;
  /** The run's arguments as Glue resolves them (DefaultArguments ← run Arguments ← NonOverridableArguments). */
  readonly runArguments: Readonly<Record<string, string>>;
  readonly job: SparkJobArguments;
  /** `etl/glue/transform.py`. */
  readonly script: string;
  /** A zip of `etl/glue/examlake_etl/`, when the script has that package beside it. */
  readonly pyFiles: string | undefined;
  /** The schema document written into the run's scratch dir (`--extra-files` on AWS). */
  readonly schemaDocument: string;
  readonly scratchDir: string;
  readonly driverMemory: string;
  readonly ivyDir: string;
  /** Edge endpoint, reached by s3a (S3) and boto3 (S3, DynamoDB, Glue, Secrets Manager). */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The older local spelling of `--reprocess_all` (still accepted); Glue job scripts read `--reprocess_all`. */
const LOCAL_REPROCESS_ALL = '--reprocess-all';

/**
 * The spark-submit command line and environment that run the AWS job script against the local stack:
 * master `local[2]`; the s3a connector (hadoop-aws of exactly PySpark's Hadoop version, with its
 * aws-java-sdk-bundle) from Maven Central through an Ivy cache; `s3://` and `s3a://` both on the edge endpoint,
 * path style, no TLS, the local credentials; change detection by ETag on the server (the local S3 honours
 * `If-Match` on GET and `x-amz-copy-source-if-match` on copy), no object versions required. Job arguments are the
 * ones the CDK stack gives the Glue job, overlaid with the run's own, as Glue passes them.
 */
export function sparkSubmitCommand(input: SparkSubmitInput): {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
} {
  const { runtime, endpoint, credentials } = input;
  const s3a: Record<string, string> = {
    'fs.s3a.endpoint': endpoint,
    'fs.s3a.endpoint.region': input.region,
    'fs.s3a.path.style.access': 'true',
    'fs.s3a.connection.ssl.enabled': 'false',
    'fs.s3a.aws.credentials.provider': 'org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider',
    'fs.s3a.access.key': credentials.accessKeyId,
    'fs.s3a.secret.key': credentials.secretAccessKey,
    'fs.s3a.change.detection.source': 'etag',
    'fs.s3a.change.detection.mode': 'server',
    'fs.s3a.change.detection.version.required': 'false',
    'fs.s3a.buffer.dir': path.join(input.scratchDir, 's3a'),
    // Locations in the Glue catalog are s3://…: read them through s3a as well.
    'fs.s3.impl': 'org.apache.hadoop.fs.s3a.S3AFileSystem',
  };
  const conf: Record<string, string> = {
    'spark.jars.ivy': input.ivyDir,
    'spark.local.dir': path.join(input.scratchDir, 'spark'),
    'spark.ui.enabled': 'false',
    'spark.ui.showConsoleProgress': 'false',
    // Spark's defaults, as Glue 5.0 runs them: 200 shuffle partitions with adaptive execution on, which coalesces
    // them to its advisory size. Fewer, fixed partitions (4, adaptive off) made each task of the dedup window sort
    // and cache a quarter of the rows: a 1M-row export ran the 1 GiB driver out of heap (docs/benchmarks.md).
    'spark.log.level': 'WARN',
    'spark.pyspark.python': runtime.python,
    'spark.pyspark.driver.python': runtime.python,
    ...Object.fromEntries(Object.entries(s3a).map(([k, v]) => [`spark.hadoop.${k}`, v])),
  };

  const { [LOCAL_REPROCESS_ALL]: localReprocessAll, ...runArguments } = input.runArguments;
  const jobArguments: Record<string, string> = {
    '--JOB_NAME': input.jobName,
    '--JOB_RUN_ID': input.jobRunId,
    '--raw_bucket': input.job.rawBucket,
    '--curated_bucket': input.job.curatedBucket,
    '--runs_table': input.job.runsTable,
    '--glue_database': input.job.glueDatabase,
    '--schema_document': input.schemaDocument,
    '--student_key_secret_id': input.job.studentKeySecretId,
    '--reprocess_all': localReprocessAll ?? 'false',
    '--storage_scheme': 's3a',
    ...runArguments,
  };

  const args = [
    '--master',
    'local[2]',
    '--name',
    input.jobName,
    '--driver-memory',
    input.driverMemory,
    '--driver-java-options',
    `-Djava.io.tmpdir=${input.scratchDir}`,
    '--packages',
    s3aConnectorPackage(runtime),
    ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
    ...(input.pyFiles ? ['--py-files', input.pyFiles] : []),
    input.script,
    ...Object.entries(jobArguments).flat(),
  ];

  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // The run reaches the local stack only: no profile, session or real-account setting leaks into it.
    if (!/^AWS_/.test(name) && !/^(SPARK_|PYSPARK_)/.test(name)) env[name] = value;
  }
  Object.assign(env, {
    SPARK_HOME: runtime.sparkHome,
    PYSPARK_PYTHON: runtime.python,
    PYSPARK_DRIVER_PYTHON: runtime.python,
    SPARK_LOCAL_IP: '127.0.0.1',
    PYTHONUNBUFFERED: '1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return { command: runtime.sparkSubmit, args, env };
}
