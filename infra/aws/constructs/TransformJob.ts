import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArnFormat, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnJob, CfnSecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { REJECTS_PREFIX } from '../../../etl/schemas/curatedLayout';
import { schemaDocument } from '../../../etl/schemas/schemaDocument';
import { TRANSFORM_JOB } from '../../resources';
import { everyFinding } from '../ExamlakeNagChecks';
import { PROJECT_ROOT } from './ExamlakeFunction';

/** The PySpark script, relative to the repository root. */
export const TRANSFORM_SCRIPT = 'etl/glue/transform.py';

/**
 * Actions the job's role holds for Glue and Spark rather than for the script's boto3 calls: reading the script
 * and schema assets, Spark's reads and writes of Parquet (listing, reading the previous version, writing and
 * overwriting the new one), continuous logging, and the security configuration's key.
 */
export const GLUE_SERVICE_ACTIONS = {
  's3:GetObject': 'Glue fetches the script and schema assets; Spark reads the previous dataset version',
  's3:PutObject': 'Spark writes the new dataset version (and its temporary files)',
  's3:DeleteObject': 'Spark cleans up its temporary files and overwrites a failed attempt',
  's3:ListBucket': 'Spark lists the previous version and its output',
  'logs:CreateLogGroup': 'Continuous logging creates /aws-glue log groups',
  'logs:CreateLogStream': 'Continuous logging creates a stream per run',
  'logs:PutLogEvents': 'Continuous logging',
  'logs:AssociateKmsKey': 'The security configuration encrypts the log groups with the job key',
  'kms:Encrypt': 'The security configuration encrypts bookmarks and logs with the job key',
  'kms:Decrypt': 'The security configuration decrypts bookmarks with the job key',
  'kms:GenerateDataKey': 'The security configuration encrypts bookmarks and logs with the job key',
} as const;

export interface TransformJobProps {
  readonly rawBucket: IBucket;
  readonly curatedBucket: IBucket;
  readonly runsTable: ITable;
  readonly glueDatabaseName: string;
  readonly glueDatabaseArn: string;
  readonly glueCatalogArn: string;
  readonly glueTableArn: (name: string) => string;
  /** Dataset (table) names the job writes. */
  readonly datasets: readonly string[];
  /** HMAC key of `student_key` (stateful stack). */
  readonly pseudonymKey: ISecret;
  /** G.1X workers (2 minimum). */
  readonly workers: number;
  /** Keep the encryption key of logs and bookmarks when the stack is deleted. */
  readonly retainKey: boolean;
}

/**
 * The Glue job of `TRANSFORM_JOB` in `infra/resources.ts`: `etl/glue/transform.py` and the schema document of
 * `etl/schemas` as S3 assets, Glue 5.0, one run at a time, a timeout, job bookmarks on, continuous logging, and
 * a security configuration: S3 output SSE-S3 (as the buckets), CloudWatch logs and bookmarks encrypted with a
 * key of its own. Its role may read the raw bucket, write the curated dataset and rejects prefixes, move the
 * dataset tables to a new version, record bookmarks and summaries in the runs table and read the pseudonym key.
 */
export class TransformJob extends Construct {
  readonly job: CfnJob;
  readonly jobName: string;
  readonly role: Role;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: TransformJobProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.jobName = `${stack.stackName}-${TRANSFORM_JOB.localName.replace(/^examlake-/, '')}`;

    const script = new Asset(this, 'Script', { path: path.join(PROJECT_ROOT, TRANSFORM_SCRIPT) });
    const schema = new Asset(this, 'SchemaDocument', { path: writeSchemaDocument() });
    if (Token.isUnresolved(schema.s3ObjectKey)) throw new Error('The schema asset key must be known at synthesis');

    this.key = new Key(this, 'Key', {
      description: 'examlake transform job: CloudWatch logs and job bookmarks',
      enableKeyRotation: true,
      removalPolicy: props.retainKey ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Glue associates the key with the job's log groups; CloudWatch Logs then encrypts with it.
    this.key.grantEncryptDecrypt(new ServicePrincipal(`logs.${stack.region}.amazonaws.com`));

    const securityConfiguration = new CfnSecurityConfiguration(this, 'SecurityConfiguration', {
      name: `${stack.stackName}-transform`,
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'SSE-S3' }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: this.key.keyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: this.key.keyArn },
      },
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('glue.amazonaws.com'),
      description: 'examlake transform job: raw CSV to curated Parquet',
    });
    this.grant(props, script, schema);

    this.job = new CfnJob(this, 'Job', {
      name: this.jobName,
      description: TRANSFORM_JOB.description,
      role: this.role.roleArn,
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: script.s3ObjectUrl },
      glueVersion: TRANSFORM_JOB.glueVersion,
      workerType: 'G.1X',
      numberOfWorkers: props.workers,
      timeout: TRANSFORM_JOB.timeoutMinutes,
      maxRetries: 0,
      executionProperty: { maxConcurrentRuns: TRANSFORM_JOB.maxConcurrentRuns },
      securityConfiguration: securityConfiguration.ref,
      defaultArguments: {
        '--job-language': 'python',
        '--job-bookmark-option': 'job-bookmark-enable',
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-metrics': 'true',
        '--enable-observability-metrics': 'true',
        '--extra-files': schema.s3ObjectUrl,
        // `--extra-files` lands in the working directory under the object's name.
        '--schema_document': path.posix.basename(schema.s3ObjectKey),
        '--raw_bucket': props.rawBucket.bucketName,
        '--curated_bucket': props.curatedBucket.bucketName,
        '--runs_table': props.runsTable.tableName,
        '--glue_database': props.glueDatabaseName,
        '--student_key_secret_id': props.pseudonymKey.secretArn,
        '--reprocess_all': 'false',
      },
    });
    this.job.node.addDependency(this.role);
  }

  /** ARN of the job, for the rules and functions that start it. */
  get jobArn(): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'job', resourceName: this.jobName });
  }

  private grant(props: TransformJobProps, script: Asset, schema: Asset): void {
    const statement = (sid: string, actions: string[], resources: string[]) =>
      new PolicyStatement({ sid, actions, resources });
    for (const granted of [
      statement('ListBuckets', ['s3:ListBucket'], [props.rawBucket.bucketArn, props.curatedBucket.bucketArn]),
      statement(
        'ReadAndMoveTheDatasetTables',
        ['glue:GetTable', 'glue:UpdateTable'],
        [props.glueCatalogArn, props.glueDatabaseArn, ...props.datasets.map(props.glueTableArn)],
      ),
      statement(
        'RecordBookmarksAndRuns',
        ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
        [props.runsTable.tableArn],
      ),
      statement('ReadThePseudonymKey', ['secretsmanager:GetSecretValue'], [props.pseudonymKey.secretArn]),
      statement('UseTheJobKey', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [this.key.keyArn]),
    ]) {
      this.role.addToPrincipalPolicy(granted);
    }
    // Keys and log streams are named at run time: these grants are prefixes, in a policy of their own.
    const stack = Stack.of(this);
    const prefixes = new Policy(this, 'Prefixes', {
      roles: [this.role],
      statements: [
        statement(
          'ReadAssets',
          ['s3:GetObject'],
          [script.bucket.arnForObjects(script.s3ObjectKey), schema.bucket.arnForObjects(schema.s3ObjectKey)],
        ),
        statement('ReadRawExports', ['s3:GetObject'], [props.rawBucket.arnForObjects('*')]),
        statement(
          'WriteCuratedVersions',
          ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          props.datasets.map((dataset) => props.curatedBucket.arnForObjects(`${dataset}/*`)),
        ),
        statement('WriteRejects', ['s3:PutObject'], [props.curatedBucket.arnForObjects(`${REJECTS_PREFIX}*`)]),
        statement(
          'WriteJobLogs',
          ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
          [
            stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '/aws-glue/*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        ),
      ],
    });
    Validations.of(prefixes).acknowledge({
      id: everyFinding('AwsSolutions-IAM5'),
      reason:
        'Object keys (exports, dataset versions, rejects) and Glue log groups (/aws-glue/…) are named at run ' +
        'time; each grant is a fixed prefix, and this policy holds nothing else.',
    });
  }
}

/** Writes `schemaDocument()` to a fresh directory; the asset is hashed by content, so synthesis stays stable. */
function writeSchemaDocument(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'examlake-schema-'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'examlake-schema.json');
  writeFileSync(file, `${JSON.stringify(schemaDocument(), null, 2)}\n`);
  return file;
}
