import { t } from '../../../etl/schemas/columnTypes';
import { curatedColumns, LINEAGE_COLUMNS, partitionPath } from '../../../etl/schemas/curatedColumns';
import { column, defineDataset } from '../../../etl/schemas/defineDataset';
import { UnknownDatasetError } from '../../../etl/schemas/errors';
import { EXAM_RESULTS } from '../../../etl/schemas/examResults';
import {
  DATA_VERSION_PARAMETER,
  GLUE_COMMENT_MAX_LENGTH,
  glueTableInput,
  initialDataVersion,
  SCHEMA_FINGERPRINT_PARAMETER,
} from '../../../etl/schemas/glueTableInput';
import { ITEM_RESPONSES } from '../../../etl/schemas/itemResponses';
import { schemaFingerprint } from '../../../etl/schemas/schemaDocument';

const LOCATION = 's3://examlake-curated/exam_results';

describe('glueTableInput', () => {
  const input = glueTableInput(EXAM_RESULTS, LOCATION);
  const sd = input.StorageDescriptor!;

  it('names the table after the dataset and describes its grain', () => {
    expect(input.Name).toBe('exam_results');
    expect(input.TableType).toBe('EXTERNAL_TABLE');
    expect(input.Description).toBe(
      'Exam results: The outcome of every attempt of a student at an exam: who, where, when, score and pass. ' +
        'Grain: one row per student attempt.',
    );
  });

  it('lists the export columns in schema order, then the lineage columns, with Glue types', () => {
    expect(sd.Columns!.map((c) => c.Name)).toEqual([
      ...EXAM_RESULTS.columns.map((c) => c.name),
      'student_key',
      'ingested_at',
      'source_file',
      'run_id',
    ]);
    const types = Object.fromEntries(sd.Columns!.map((c) => [c.Name, c.Type]));
    expect(types).toMatchObject({
      result_id: 'string',
      grade_level: 'int',
      started_at: 'timestamp',
      score: 'decimal(7,2)',
      passed: 'boolean',
      student_key: 'string',
      ingested_at: 'timestamp',
    });
  });

  it('writes column descriptions as comments within the Glue limit, without Markdown', () => {
    for (const schema of [EXAM_RESULTS, ITEM_RESPONSES]) {
      for (const col of glueTableInput(schema, LOCATION).StorageDescriptor!.Columns!) {
        expect(col.Comment!.length).toBeGreaterThan(0);
        expect(col.Comment!.length).toBeLessThanOrEqual(GLUE_COMMENT_MAX_LENGTH);
        expect(col.Comment).not.toContain('`');
      }
    }
    const studentKey = sd.Columns!.find((c) => c.Name === 'student_key')!;
    expect(studentKey.Comment).toMatch(/^Stable pseudonym of the student: hex HMAC-SHA-256 of student_id/);
  });

  it('shortens a description longer than a Glue comment allows, marking the cut', () => {
    const long = defineDataset({
      ...EXAM_RESULTS,
      columns: EXAM_RESULTS.columns.map((c) => (c.name === 'region' ? { ...c, description: 'word '.repeat(80) } : c)),
    });
    const comment = glueTableInput(long, LOCATION).StorageDescriptor!.Columns!.find((c) => c.Name === 'region')!
      .Comment!;
    expect(comment).toHaveLength(GLUE_COMMENT_MAX_LENGTH);
    expect(comment.endsWith('…')).toBe(true);
  });

  it('partitions by integer year and month, outside the stored columns', () => {
    expect(input.PartitionKeys).toEqual([
      { Name: 'year', Type: 'int', Comment: 'UTC year of the partition source timestamp.' },
      { Name: 'month', Type: 'int', Comment: 'UTC month (1–12) of the partition source timestamp.' },
    ]);
    expect(sd.Columns!.map((c) => c.Name)).not.toEqual(expect.arrayContaining(['year']));
  });

  it('finds partitions by projection, with a template matching the curated paths', () => {
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.year.type': 'integer',
      'projection.year.range': '2000,2099',
      'projection.month.type': 'integer',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
      'storage.location.template': `${LOCATION}/year=\${year}/month=\${month}/`,
    });
    const template = input.Parameters!['storage.location.template']!;
    expect(template.replace(`\${year}`, '2025').replace(`\${month}`, '09')).toBe(
      `${LOCATION}/${partitionPath(2025, 9)}`,
    );
  });

  it('reads Parquet with Snappy under the location, adding one trailing slash', () => {
    expect(sd.Location).toBe(`${LOCATION}/`);
    expect(glueTableInput(EXAM_RESULTS, `${LOCATION}/`).StorageDescriptor!.Location).toBe(`${LOCATION}/`);
    expect(sd.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    expect(sd.OutputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat');
    expect(sd.SerdeInfo!.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(input.Parameters).toMatchObject({ classification: 'parquet', 'parquet.compression': 'SNAPPY' });
  });

  it('records the keys, the schema fingerprint and an initial data version derived from it', () => {
    const fingerprint = schemaFingerprint(EXAM_RESULTS);
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(input.Parameters).toMatchObject({
      [SCHEMA_FINGERPRINT_PARAMETER]: fingerprint,
      [DATA_VERSION_PARAMETER]: `schema-${fingerprint}`,
      'examlake.natural_key': 'result_id',
      'examlake.sort_keys': 'school_id,exam_id',
    });
    expect(glueTableInput(ITEM_RESPONSES, LOCATION).Parameters!['examlake.natural_key']).toBe('result_id,question_id');
    expect(initialDataVersion(EXAM_RESULTS)).toBe(`schema-${fingerprint}`);
  });

  it('accepts a dataset by name and refuses an undeclared one', () => {
    expect(glueTableInput('item_responses', LOCATION).Name).toBe('item_responses');
    expect(() => glueTableInput('attendance', LOCATION)).toThrow(UnknownDatasetError);
  });

  it('is the same for the same schema', () => {
    expect(glueTableInput(EXAM_RESULTS, LOCATION)).toEqual(input);
  });
});

describe('schemaFingerprint', () => {
  const base = schemaFingerprint(EXAM_RESULTS);
  it('differs between datasets', () => {
    expect(schemaFingerprint(ITEM_RESPONSES)).not.toBe(base);
  });

  it('is the same for an equal definition built again', () => {
    expect(schemaFingerprint(defineDataset({ ...EXAM_RESULTS, columns: [...EXAM_RESULTS.columns] }))).toBe(base);
  });

  it.each([
    ['a type', 'grade_level', { type: t.bigint() }],
    ['a type parameter', 'score', { type: t.decimal(9, 2) }],
    ['nullability', 'region', { nullable: true }],
    ['an alias', 'region', { aliases: ['region_name', 'area', 'zone'] }],
    ['a constraint', 'region', { constraints: { maxLength: 99 } }],
    ['a description', 'region', { description: 'Where it is.' }],
    ['a PII flag', 'region', { pii: true }],
    ['an example', 'region', { example: 'South' }],
  ])('changes with %s of a column', (_, name, change) => {
    expect(variantOf(name, change)).not.toBe(base);
  });

  it('changes when a column is added, removed or moved', () => {
    const columns = EXAM_RESULTS.columns;
    const added = [
      ...columns,
      column('notes', t.string(), { nullable: true, description: 'Free text.', example: 'late start' }),
    ];
    const removed = columns.filter((c) => c.name !== 'region');
    const moved = [columns[1]!, columns[0]!, ...columns.slice(2)];
    for (const variantColumns of [added, removed, moved]) {
      expect(schemaFingerprint(defineDataset({ ...EXAM_RESULTS, columns: variantColumns }))).not.toBe(base);
    }
  });

  it('changes with the keys and the rules', () => {
    expect(schemaFingerprint(defineDataset({ ...EXAM_RESULTS, sortKeys: ['school_id'] }))).not.toBe(base);
    expect(schemaFingerprint(defineDataset({ ...EXAM_RESULTS, naturalKey: ['result_id', 'attempt'] }))).not.toBe(base);
    expect(schemaFingerprint(defineDataset({ ...EXAM_RESULTS, rules: EXAM_RESULTS.rules.slice(1) }))).not.toBe(base);
  });

  it('moves the table input with it, so the local bootstrap replaces a table built from an older schema', () => {
    const changed = defineDataset({ ...EXAM_RESULTS, sortKeys: ['school_id'] });
    const params = glueTableInput(changed, LOCATION).Parameters!;
    expect(params[SCHEMA_FINGERPRINT_PARAMETER]).toBe(schemaFingerprint(changed));
    expect(params[DATA_VERSION_PARAMETER]).not.toBe(initialDataVersion(EXAM_RESULTS));
  });

  it('covers the lineage columns every table adds', () => {
    expect(
      curatedColumns(EXAM_RESULTS)
        .slice(-LINEAGE_COLUMNS.length)
        .map((c) => c.origin),
    ).toEqual(LINEAGE_COLUMNS.map(() => 'lineage'));
  });
});

function variantOf(name: string, change: object): string {
  return schemaFingerprint(
    defineDataset({
      ...EXAM_RESULTS,
      columns: EXAM_RESULTS.columns.map((c) => (c.name === name ? { ...c, ...change } : c)),
    }),
  );
}
