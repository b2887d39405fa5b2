import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateDatabaseCommand,
  GetTableCommand,
  GlueClient,
  type Table,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { glueTableInput } from '../../../etl/schemas/glueTableInput';
import { ensureTableSchema } from '../../../infra/catalog/ensureTableSchema';
import { splitTableInput } from '../../../infra/catalog/tableSchema';
import { handler, type TableSchemaProperties } from '../../../infra/catalog/tableSchemaHandler';
import { startTestStack, type TestStack } from '../../support/localStack';

let testStack: TestStack;
let glue: GlueClient;
const DATABASE = 'catalog_owner';

beforeAll(async () => {
  testStack = await startTestStack();
  glue = new GlueClient({ ...testStack.clientConfig });
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DATABASE } }));
});

afterAll(async () => {
  glue.destroy();
  await testStack.stop();
});

/** The exam_results table as the template defines it, under a name of the test's own. */
function template(name: string, change: (input: TableInput) => TableInput = (i) => i): TableInput {
  return change({ ...glueTableInput('exam_results', 's3://examlake-curated/exam_results/'), Name: name });
}

async function table(name: string): Promise<Table> {
  return (await glue.send(new GetTableCommand({ DatabaseName: DATABASE, Name: name }))).Table!;
}

/** What a transform run's commit does: location, location template and data version move to its version. */
async function commitRun(name: string, runId: string, client = glue): Promise<void> {
  const t = (await client.send(new GetTableCommand({ DatabaseName: DATABASE, Name: name }))).Table!;
  const base = `s3://examlake-curated/exam_results/v=${runId}/`;
  await client.send(
    new UpdateTableCommand({
      DatabaseName: DATABASE,
      VersionId: t.VersionId,
      TableInput: {
        Name: t.Name,
        Description: t.Description,
        TableType: t.TableType,
        PartitionKeys: t.PartitionKeys,
        StorageDescriptor: { ...t.StorageDescriptor, Location: base },
        Parameters: {
          ...t.Parameters,
          'storage.location.template': projected(base),
          'examlake.data_version': runId,
        },
      },
    }),
  );
}

/** Partition projection's location template under a base location. */
const projected = (base: string) => `${base}year=\${year}/month=\${month}/`;

/** A schema change: one more column, another description, a parameter dropped. */
const changed = (input: TableInput): TableInput => {
  const { 'examlake.sort_keys': _dropped, ...parameters } = input.Parameters!;
  return {
    ...input,
    Description: 'exam results, described anew',
    Parameters: parameters,
    StorageDescriptor: {
      ...input.StorageDescriptor,
      Columns: [...input.StorageDescriptor!.Columns!, { Name: 'proctored', Type: 'boolean', Comment: 'new' }],
    },
  };
};

const jobOwned = (t: Table) => ({
  location: t.StorageDescriptor?.Location,
  template: t.Parameters?.['storage.location.template'],
  version: t.Parameters?.['examlake.data_version'],
});

describe('ensureTableSchema on the local Glue catalog', () => {
  it('creates a missing table with the initial location and data version', async () => {
    const { schema, initial } = splitTableInput(template('created'));
    expect(await ensureTableSchema(glue, DATABASE, schema, initial)).toBe('created');
    const t = await table('created');
    expect(jobOwned(t)).toEqual({
      location: 's3://examlake-curated/exam_results/',
      template: projected('s3://examlake-curated/exam_results/'),
      version: expect.stringMatching(/^schema-/),
    });
    expect(t.StorageDescriptor?.Columns?.length).toBe(schema.StorageDescriptor!.Columns!.length);
  });

  it('merges a new schema into a table a run has committed to, keeping its location, template and version', async () => {
    const first = splitTableInput(template('merged'));
    await ensureTableSchema(glue, DATABASE, first.schema, first.initial);
    await commitRun('merged', 'jr_0001');
    const committed = jobOwned(await table('merged'));

    const next = splitTableInput(template('merged', changed));
    expect(await ensureTableSchema(glue, DATABASE, next.schema, next.initial)).toBe('updated');
    const t = await table('merged');
    expect(jobOwned(t)).toEqual(committed);
    expect(committed).toEqual({
      location: 's3://examlake-curated/exam_results/v=jr_0001/',
      template: projected('s3://examlake-curated/exam_results/v=jr_0001/'),
      version: 'jr_0001',
    });
    expect(t.Description).toBe('exam results, described anew');
    expect(t.StorageDescriptor?.Columns?.at(-1)).toEqual({ Name: 'proctored', Type: 'boolean', Comment: 'new' });
    expect(t.Parameters?.['examlake.sort_keys']).toBeUndefined();
    expect(t.Parameters?.['projection.enabled']).toBe('true');
  });

  it('leaves a table whose schema is already the template’s alone (no new VersionId)', async () => {
    const { schema, initial } = splitTableInput(template('steady'));
    await ensureTableSchema(glue, DATABASE, schema, initial);
    await commitRun('steady', 'jr_0002');
    const before = (await table('steady')).VersionId;
    expect(await ensureTableSchema(glue, DATABASE, schema, initial)).toBe('unchanged');
    expect((await table('steady')).VersionId).toBe(before);
  });

  it('reads again and merges again when a run commits between its read and its write (VersionId guard)', async () => {
    const first = splitTableInput(template('raced'));
    await ensureTableSchema(glue, DATABASE, first.schema, first.initial);
    await commitRun('raced', 'jr_0003');
    // A second client stands for the job: it commits run jr_0004 just before this update's first UpdateTable.
    const job = new GlueClient({ ...testStack.clientConfig });
    const racing = new GlueClient({ ...testStack.clientConfig });
    let updates = 0;
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateTableCommand' && updates++ === 0) await commitRun('raced', 'jr_0004', job);
        return next(args);
      },
      { step: 'initialize', name: 'jobCommitsFirst' },
    );
    try {
      const next = splitTableInput(template('raced', changed));
      expect(await ensureTableSchema(racing, DATABASE, next.schema, next.initial)).toBe('updated');
    } finally {
      job.destroy();
      racing.destroy();
    }
    expect(updates).toBe(2);
    const t = await table('raced');
    expect(jobOwned(t).version).toBe('jr_0004');
    expect(jobOwned(t).location).toBe('s3://examlake-curated/exam_results/v=jr_0004/');
    expect(t.StorageDescriptor?.Columns?.at(-1)?.Name).toBe('proctored');
  });
});

describe('the Custom::GlueTableSchema handler against the local Glue API', () => {
  let responses: Record<string, unknown>[];
  let server: http.Server;
  let responseUrl: string;

  beforeAll(async () => {
    responses = [];
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        responses.push({ method: req.method, contentType: req.headers['content-type'], ...JSON.parse(body) });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
    // The function's own configuration: the default provider chain (read at its first call), at the local stack.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: testStack.endpoint,
      AWS_REGION: testStack.clientConfig.region,
      AWS_ACCESS_KEY_ID: testStack.clientConfig.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: testStack.clientConfig.credentials.secretAccessKey,
    });
  });

  afterAll(async () => {
    for (const name of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete process.env[name];
    await new Promise((resolve) => server.close(resolve));
  });

  function event(
    requestType: 'Create' | 'Update' | 'Delete',
    input: TableInput,
    physicalId?: string,
  ): CloudFormationCustomResourceEvent {
    const { schema, initial } = splitTableInput(input);
    const properties: TableSchemaProperties = {
      DatabaseName: DATABASE,
      TableSchema: JSON.stringify(schema),
      InitialState: JSON.stringify(initial),
    };
    return {
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:schema',
      ResponseURL: responseUrl,
      StackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/examlake-dev-stateful/1',
      RequestId: `req-${responses.length}`,
      LogicalResourceId: 'DataCatalogTableexamresults',
      ResourceType: 'Custom::GlueTableSchema',
      ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:schema', ...properties },
      ...(requestType === 'Create' ? {} : { PhysicalResourceId: physicalId! }),
      ...(requestType === 'Update' ? { OldResourceProperties: {} } : {}),
    } as CloudFormationCustomResourceEvent;
  }

  it('creates, updates without moving the location back, deletes, and answers CloudFormation each time', async () => {
    await handler(event('Create', template('handled')));
    expect(responses.at(-1)).toMatchObject({
      method: 'PUT',
      contentType: '',
      Status: 'SUCCESS',
      PhysicalResourceId: `${DATABASE}.handled`,
      LogicalResourceId: 'DataCatalogTableexamresults',
    });
    await commitRun('handled', 'jr_0005');

    // A stack update whose template carries another initial location: the live one stays.
    const moved = (input: TableInput) => ({
      ...changed(input),
      StorageDescriptor: { ...changed(input).StorageDescriptor, Location: 's3://elsewhere/exam_results/' },
    });
    await handler(event('Update', template('handled', moved), `${DATABASE}.handled`));
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${DATABASE}.handled` });
    const t = await table('handled');
    expect(jobOwned(t)).toMatchObject({
      location: 's3://examlake-curated/exam_results/v=jr_0005/',
      version: 'jr_0005',
    });
    expect(t.StorageDescriptor?.Columns?.at(-1)?.Name).toBe('proctored');

    await handler(event('Delete', template('handled'), `${DATABASE}.handled`));
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    await expect(table('handled')).rejects.toThrow('Table handled not found.');
  });

  it('answers FAILED with the reason, and a rollback Delete of that failed Create deletes nothing', async () => {
    await handler(event('Create', { ...template('orphan'), Name: 'bad\nname' }));
    const failed = responses.at(-1)!;
    expect(failed).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('validation error') });
    expect(String(failed.PhysicalResourceId)).toMatch(/^not-created:/);

    const { schema, initial } = splitTableInput(template('bystander'));
    await ensureTableSchema(glue, DATABASE, schema, initial);
    await handler(event('Delete', template('bystander'), String(failed.PhysicalResourceId)));
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    expect((await table('bystander')).Name).toBe('bystander');
  });
});
