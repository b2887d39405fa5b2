import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AthenaClient,
  CreateWorkGroupCommand,
  GetWorkGroupCommand,
  InvalidRequestException,
} from '@aws-sdk/client-athena';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AlreadyExistsException,
  CreateDatabaseCommand,
  CreateTableCommand as CreateGlueTableCommand,
  CreateJobCommand,
  EntityNotFoundException,
  GetJobCommand,
  GetTableCommand,
  GlueClient,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, ResourceExistsException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SCHEMA_FINGERPRINT_PARAMETER } from '../../etl/schemas/glueTableInput';
import { localStudentKeySecret } from '../../etl/transform/studentKey';
import { datasetTableInputs } from '../aws/datasetTableInputs';
import {
  ATHENA_RESULTS_PREFIX,
  BUCKETS,
  GLUE_DATABASE,
  SECRETS,
  TABLES,
  type TableDefinition,
  TRANSFORM_JOB,
  tableKeySchema,
  WORKGROUP,
} from '../resources';

/** Client settings for the local stack (endpoint, region, credentials). */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Physical names of every resource on the local stack, as the application receives them in its configuration. */
export const LOCAL_RESOURCE_NAMES = Object.freeze({
  rawBucket: BUCKETS.raw.localName,
  curatedBucket: BUCKETS.curated.localName,
  resultsBucket: BUCKETS.results.localName,
  cacheTable: TABLES.cache.localName,
  grantsTable: TABLES.grants.localName,
  runsTable: TABLES.runs.localName,
  glueDatabase: GLUE_DATABASE.name,
  transformJob: TRANSFORM_JOB.localName,
  workGroup: WORKGROUP.localName,
  signingKeySecret: SECRETS.signingKey.localName,
  studentKeySecret: SECRETS.studentKey.localName,
});

export interface BootstrapOptions {
  /**
   * The stack's data dir, whose keys seed the secrets: the student key of `<dataDir>/secrets/student-key` (made
   * there if absent, so the DuckDB transform, which reads that file, and a job reading the secret agree), and a
   * signing key an earlier version kept in `<dataDir>/api/signing-secret` (so its page tokens stay valid).
   * @default undefined: fresh random keys
   */
  readonly dataDir?: string;
}

/**
 * Creates every resource of `infra/resources.ts` on the local stack through the AWS SDK, as CloudFormation
 * would on AWS. Idempotent: existing resources are kept as they are, so a restart reuses the data.
 */
export async function bootstrapResources(
  clientConfig: LocalClientConfig,
  options: BootstrapOptions = {},
): Promise<void> {
  const s3 = new S3Client(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  const glue = new GlueClient(clientConfig);
  const athena = new AthenaClient(clientConfig);
  const secrets = new SecretsManagerClient(clientConfig);
  try {
    for (const bucket of Object.values(BUCKETS)) {
      await ignoring(BucketAlreadyOwnedByYou, () => s3.send(new CreateBucketCommand({ Bucket: bucket.localName })));
    }
    for (const table of Object.values(TABLES)) await ensureTable(dynamodb, table);
    await ignoring(AlreadyExistsException, () =>
      glue.send(
        new CreateDatabaseCommand({
          DatabaseInput: { Name: GLUE_DATABASE.name, Description: GLUE_DATABASE.description },
        }),
      ),
    );
    await ensureDatasetTables(glue);
    await ensureJob(glue);
    await ensureWorkGroup(athena);
    await ensureSecrets(secrets, options.dataDir);
  } finally {
    for (const client of [s3, dynamodb, glue, athena, secrets]) client.destroy();
  }
}

/**
 * The two secrets, created once with their first value; an existing secret keeps its versions (a rotated signing
 * key stays rotated across restarts). The student key is binary (32 bytes), the signing key text.
 */
async function ensureSecrets(secrets: SecretsManagerClient, dataDir: string | undefined): Promise<void> {
  const studentKey = dataDir ? await localStudentKeySecret(dataDir) : randomBytes(32);
  const signingKey = (dataDir && (await earlierSigningKey(dataDir))) || randomBytes(32).toString('base64url');
  await ignoring(ResourceExistsException, () =>
    secrets.send(
      new CreateSecretCommand({
        Name: SECRETS.studentKey.localName,
        Description: SECRETS.studentKey.description,
        SecretBinary: studentKey,
      }),
    ),
  );
  await ignoring(ResourceExistsException, () =>
    secrets.send(
      new CreateSecretCommand({
        Name: SECRETS.signingKey.localName,
        Description: SECRETS.signingKey.description,
        SecretString: signingKey,
      }),
    ),
  );
}

/** The signing key the local API kept in a file before it read Secrets Manager; undefined when there is none. */
async function earlierSigningKey(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(path.join(dataDir, 'api', 'signing-secret'), 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function ensureTable(dynamodb: DynamoDBClient, table: TableDefinition): Promise<void> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: table.localName }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const keys = tableKeySchema(table);
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table.localName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: keys.map((k) => ({ AttributeName: k.name, KeyType: k.keyType })),
      AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.attributeType })),
    }),
  );
  if (table.ttlAttribute) {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: table.localName,
        TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
      }),
    );
  }
}

/**
 * One Glue table per dataset of `etl/schemas`, over the curated bucket. An up-to-date table is left alone (its
 * data version is the last run's); a table built from an older schema (another fingerprint) is replaced by the
 * current definition, whose data version is new, so no cached result computed under the old schema is reused.
 */
async function ensureDatasetTables(glue: GlueClient): Promise<void> {
  const inputs = datasetTableInputs((dataset) => `s3://${BUCKETS.curated.localName}/${dataset}/`);
  for (const input of inputs) {
    let fingerprint: string | undefined;
    try {
      const { Table } = await glue.send(new GetTableCommand({ DatabaseName: GLUE_DATABASE.name, Name: input.Name }));
      fingerprint = Table?.Parameters?.[SCHEMA_FINGERPRINT_PARAMETER] ?? '';
    } catch (err) {
      if (!(err instanceof EntityNotFoundException)) throw err;
    }
    if (fingerprint === undefined) {
      await ignoring(AlreadyExistsException, () =>
        glue.send(new CreateGlueTableCommand({ DatabaseName: GLUE_DATABASE.name, TableInput: input })),
      );
    } else if (fingerprint !== input.Parameters?.[SCHEMA_FINGERPRINT_PARAMETER]) {
      await glue.send(new UpdateTableCommand({ DatabaseName: GLUE_DATABASE.name, TableInput: input }));
    }
  }
}

async function ensureJob(glue: GlueClient): Promise<void> {
  try {
    await glue.send(new GetJobCommand({ JobName: TRANSFORM_JOB.localName }));
    return;
  } catch (err) {
    if (!(err instanceof EntityNotFoundException)) throw err;
  }
  await glue.send(
    new CreateJobCommand({
      Name: TRANSFORM_JOB.localName,
      Description: TRANSFORM_JOB.description,
      Role: 'arn:aws:iam::000000000000:role/examlake-local-glue',
      Command: { Name: 'glueetl', ScriptLocation: 'local://etl/glue/transform.py', PythonVersion: '3' },
      GlueVersion: TRANSFORM_JOB.glueVersion,
      ExecutionProperty: { MaxConcurrentRuns: TRANSFORM_JOB.maxConcurrentRuns },
      Timeout: TRANSFORM_JOB.timeoutMinutes,
      DefaultArguments: { '--job-bookmark-option': 'job-bookmark-enable' },
    }),
  );
}

async function ensureWorkGroup(athena: AthenaClient): Promise<void> {
  try {
    await athena.send(new GetWorkGroupCommand({ WorkGroup: WORKGROUP.localName }));
    return;
  } catch (err) {
    if (!(err instanceof InvalidRequestException)) throw err;
  }
  await athena.send(
    new CreateWorkGroupCommand({
      Name: WORKGROUP.localName,
      Description: WORKGROUP.description,
      Configuration: {
        ResultConfiguration: { OutputLocation: `s3://${BUCKETS.results.localName}/${ATHENA_RESULTS_PREFIX}` },
        EnforceWorkGroupConfiguration: WORKGROUP.enforceWorkGroupConfiguration,
        BytesScannedCutoffPerQuery: WORKGROUP.bytesScannedCutoffPerQuery,
        PublishCloudWatchMetricsEnabled: true,
      },
    }),
  );
}

async function ignoring<T>(
  errorClass: abstract new (...args: never[]) => Error,
  action: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof errorClass) return undefined;
    throw err;
  }
}
