import { CreateDatabaseCommand, CreateTableCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { LINEAGE_COLUMNS, PARTITION_COLUMNS } from '../../../etl/schemas/curatedColumns';
import { DATASET_NAMES, DATASETS } from '../../../etl/schemas/datasets';
import { renderDataDictionary } from '../../../etl/schemas/renderDataDictionary';
import { schemaDocument } from '../../../etl/schemas/schemaDocument';
import { datasetTableInputs } from '../../../infra/aws/datasetTableInputs';
import { BUCKETS, GLUE_DATABASE } from '../../../infra/resources';
import { startTestStack, type TestStack } from '../../support/localStack';

/**
 * "No column list is written twice": the Glue catalog (tables created through the Glue API of the local stack
 * from the inputs both the local bootstrap and the CDK catalog use),
 * the JSON document the Glue job reads and the data dictionary all list the columns the schema declares.
 */

/** The column rows of a dataset's section of the dictionary, and of the lineage and partition tables. */
function dictionaryColumns(text: string, heading: RegExp): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) throw new Error(`no section ${heading} in the dictionary`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const section = lines.slice(start + 1, end < 0 ? undefined : end);
  return section.flatMap((l) => /^\| `([a-z0-9_]+)` \|/.exec(l)?.[1] ?? []);
}

let testStack: TestStack;
let glue: GlueClient;

beforeAll(async () => {
  testStack = await startTestStack();
  glue = new GlueClient(testStack.clientConfig);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: GLUE_DATABASE.name } }));
  for (const input of datasetTableInputs((d) => `s3://${BUCKETS.curated.localName}/${d}/`)) {
    await glue.send(new CreateTableCommand({ DatabaseName: GLUE_DATABASE.name, TableInput: input }));
  }
});

afterAll(async () => {
  glue?.destroy();
  await testStack?.stop();
});

describe.each(DATASET_NAMES)('the columns of %s', (name) => {
  const schema = DATASETS[name];
  const exportColumns = schema.columns.map((c) => c.name);
  const curated = [...exportColumns, ...LINEAGE_COLUMNS.map((c) => c.name)];

  it('are the same in the Glue catalog, with the partitions as keys', async () => {
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: GLUE_DATABASE.name, Name: name }));
    expect(Table!.StorageDescriptor!.Columns!.map((c) => c.Name)).toEqual(curated);
    const doc = schemaDocument();
    const documented = [...doc.datasets.find((d) => d.name === name)!.columns, ...doc.lineageColumns];
    expect(Table!.StorageDescriptor!.Columns!.map((c) => c.Type)).toEqual(documented.map((c) => c.glueType));
    expect(Table!.PartitionKeys!.map((c) => c.Name)).toEqual(PARTITION_COLUMNS.map((p) => p.name));
  });

  it('are the same in the schema document the Glue job reads', () => {
    const doc = JSON.parse(JSON.stringify(schemaDocument())) as ReturnType<typeof schemaDocument>;
    const dataset = doc.datasets.find((d) => d.name === name)!;
    expect(dataset.columns.map((c) => c.name)).toEqual(exportColumns);
    expect(dataset.curatedColumns).toEqual(curated);
    expect(doc.lineageColumns.map((c) => c.name)).toEqual(LINEAGE_COLUMNS.map((c) => c.name));
  });

  it('are the same in the data dictionary', () => {
    const text = renderDataDictionary();
    expect(dictionaryColumns(text, new RegExp(`^## \`${name}\``))).toEqual(exportColumns);
    expect(dictionaryColumns(text, /^## Columns every curated table adds/)).toEqual([
      ...LINEAGE_COLUMNS.map((c) => c.name),
      ...PARTITION_COLUMNS.map((p) => p.name),
    ]);
  });
});
