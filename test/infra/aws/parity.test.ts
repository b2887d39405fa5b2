import { AthenaClient, GetWorkGroupCommand } from '@aws-sdk/client-athena';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetJobCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { DATA_VERSION_PARAMETER } from '../../../etl/schemas/glueTableInput';
import { TABLE_SCHEMA_RESOURCE_TYPE } from '../../../infra/aws/constructs/DataCatalog';
import { JOB_OWNED_PARAMETERS } from '../../../infra/catalog/tableSchema';
import { bootstrapResources, LOCAL_RESOURCE_NAMES } from '../../../infra/local/bootstrap';
import { BUCKETS, GLUE_DATABASE, TABLES, TRANSFORM_JOB, WORKGROUP } from '../../../infra/resources';
import { startTestStack, type TestStack } from '../../support/localStack';
import { synthesizeApp } from './synthesizeApp';
import { bucketsByRole, resourcesOfType, roleOf, tablesByRole } from './templateQueries';

/**
 * The local bootstrap and the CDK app both build examlake's resources from `infra/resources.ts` and
 * `etl/schemas`. This test bootstraps a local stack, reads back what it created through the AWS APIs, and
 * compares it with the synthesized CloudFormation: the same buckets, the same table keys and TTL, the same
 * Glue tables (columns, partitions, projection, storage), the same job settings and workgroup limits.
 */
describe('parity of the local bootstrap and the CDK app', () => {
  let local: TestStack;
  let stateful: Template;
  let stateless: Template;
  let clients: { s3: S3Client; dynamodb: DynamoDBClient; glue: GlueClient; athena: AthenaClient };

  beforeAll(async () => {
    local = await startTestStack();
    await bootstrapResources(local.clientConfig);
    clients = {
      s3: new S3Client({ ...local.clientConfig, forcePathStyle: true }),
      dynamodb: new DynamoDBClient(local.clientConfig),
      glue: new GlueClient(local.clientConfig),
      athena: new AthenaClient(local.clientConfig),
    };
    const app = synthesizeApp();
    stateful = Template.fromStack(app.stateful);
    stateless = Template.fromStack(app.stateless);
  });

  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.destroy();
    await local?.stop();
  });

  it('creates a bucket for every role of resources.ts on both, versioned on AWS where resources.ts says so', async () => {
    const cdkBuckets = bucketsByRole(stateful);
    for (const [role, bucket] of Object.entries(BUCKETS)) {
      await expect(clients.s3.send(new HeadBucketCommand({ Bucket: bucket.localName }))).resolves.toBeDefined();
      const versioning = roleOf(cdkBuckets, role).Properties.VersioningConfiguration?.Status;
      expect([role, versioning === 'Enabled']).toEqual([role, bucket.versioned]);
    }
  });

  it('gives every table the same key schema, attribute types, billing and TTL attribute', async () => {
    const cdkTables = tablesByRole(stateful);
    for (const [role, table] of Object.entries(TABLES)) {
      const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: table.localName }));
      const ttl = await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table.localName }));
      const cdk = roleOf(cdkTables, role).Properties;
      const sortBy = <T extends { AttributeName?: string }>(list: T[] = []) =>
        [...list].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));
      expect([role, Table!.KeySchema]).toEqual([role, cdk.KeySchema]);
      expect([role, sortBy(Table!.AttributeDefinitions)]).toEqual([role, sortBy(cdk.AttributeDefinitions)]);
      expect([role, Table!.BillingModeSummary?.BillingMode ?? 'PAY_PER_REQUEST']).toEqual([role, cdk.BillingMode]);
      const localTtl =
        ttl.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' ? ttl.TimeToLiveDescription.AttributeName : undefined;
      expect([role, localTtl]).toEqual([role, cdk.TimeToLiveSpecification?.AttributeName]);
    }
  });

  it('defines the same Glue database and dataset tables, apart from the bucket in their location', async () => {
    const [database] = resourcesOfType(stateful, 'AWS::Glue::Database');
    expect(database!.Properties.DatabaseInput.Name).toBe(GLUE_DATABASE.name);
    const cdkTables = resourcesOfType(stateful, TABLE_SCHEMA_RESOURCE_TYPE);
    expect(cdkTables.length).toBeGreaterThan(0);
    for (const cdkTable of cdkTables) {
      // The schema as CloudFormation owns it, and the initial state a new table starts with.
      const input = JSON.parse(cdkTable.Properties.TableSchema);
      const initial = JSON.stringify(cdkTable.Properties.InitialState);
      const { Table } = await clients.glue.send(
        new GetTableCommand({ DatabaseName: LOCAL_RESOURCE_NAMES.glueDatabase, Name: input.Name }),
      );
      const sd = Table!.StorageDescriptor!;
      const name = input.Name as string;
      expect([name, Table!.TableType]).toEqual([name, input.TableType]);
      expect([name, sd.Columns?.map((c) => [c.Name, c.Type])]).toEqual([
        name,
        input.StorageDescriptor.Columns.map((c: { Name: string; Type: string }) => [c.Name, c.Type]),
      ]);
      expect([name, Table!.PartitionKeys?.map((c) => [c.Name, c.Type])]).toEqual([
        name,
        input.PartitionKeys.map((c: { Name: string; Type: string }) => [c.Name, c.Type]),
      ]);
      expect([name, sd.InputFormat, sd.OutputFormat, sd.SerdeInfo?.SerializationLibrary]).toEqual([
        name,
        input.StorageDescriptor.InputFormat,
        input.StorageDescriptor.OutputFormat,
        input.StorageDescriptor.SerdeInfo.SerializationLibrary,
      ]);
      // Projection and schema parameters are identical; the job-owned ones are the initial state on AWS.
      const schemaOnly = (parameters: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(parameters).filter(([key]) => !JOB_OWNED_PARAMETERS.includes(key as never)));
      expect([name, schemaOnly(Table!.Parameters ?? {})]).toEqual([name, input.Parameters]);
      expect(sd.Location).toBe(`s3://${BUCKETS.curated.localName}/${name}/`);
      expect(initial).toContain(`/${name}/`);
      expect(initial).toContain(Table!.Parameters![DATA_VERSION_PARAMETER]!);
    }
  });

  it('configures the transform job alike: Glue version, one run at a time, timeout, bookmarks', async () => {
    const { Job } = await clients.glue.send(new GetJobCommand({ JobName: LOCAL_RESOURCE_NAMES.transformJob }));
    const [cdkJob] = resourcesOfType(stateless, 'AWS::Glue::Job');
    const cdk = cdkJob!.Properties;
    expect([Job!.GlueVersion, cdk.GlueVersion]).toEqual([TRANSFORM_JOB.glueVersion, TRANSFORM_JOB.glueVersion]);
    expect(Job!.ExecutionProperty?.MaxConcurrentRuns).toBe(cdk.ExecutionProperty.MaxConcurrentRuns);
    expect(Job!.Timeout).toBe(cdk.Timeout);
    expect(Job!.DefaultArguments?.['--job-bookmark-option']).toBe(cdk.DefaultArguments['--job-bookmark-option']);
    expect(Job!.Command?.Name).toBe(cdk.Command.Name);
  });

  it('enforces the same workgroup configuration and scan cutoff', async () => {
    const { WorkGroup } = await clients.athena.send(new GetWorkGroupCommand({ WorkGroup: WORKGROUP.localName }));
    const [cdkWorkGroup] = resourcesOfType(stateless, 'AWS::Athena::WorkGroup');
    const cdk = cdkWorkGroup!.Properties.WorkGroupConfiguration;
    const local = WorkGroup!.Configuration!;
    expect(local.BytesScannedCutoffPerQuery).toBe(cdk.BytesScannedCutoffPerQuery);
    expect(local.EnforceWorkGroupConfiguration).toBe(cdk.EnforceWorkGroupConfiguration);
    expect(local.PublishCloudWatchMetricsEnabled).toBe(cdk.PublishCloudWatchMetricsEnabled);
    expect(local.ResultConfiguration?.OutputLocation).toBe(`s3://${BUCKETS.results.localName}/athena/`);
    expect(JSON.stringify(cdk.ResultConfiguration.OutputLocation)).toContain('/athena/');
  });
});
