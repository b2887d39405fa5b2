import type { TableInput } from '@aws-sdk/client-glue';
import { glueType } from './columnTypes';
import { curatedColumns, PARTITION_COLUMNS, PARTITION_YEAR_RANGE } from './curatedColumns';
import type { DatasetSchema } from './DatasetSchema';
import { getDataset } from './datasets';
import { schemaFingerprint } from './schemaDocument';

/** Table parameter holding the id of the run that last changed the data; part of every cache key. */
export const DATA_VERSION_PARAMETER = 'examlake.data_version';
/** Table parameter holding the fingerprint of the schema the table was created from. */
export const SCHEMA_FINGERPRINT_PARAMETER = 'examlake.schema_fingerprint';

/**
 * The data version a table starts with: derived from the schema fingerprint, so that if CloudFormation rewrites
 * the table (resetting its parameters) after a schema change, the reset version has never keyed a cached result.
 */
export function initialDataVersion(dataset: DatasetSchema): string {
  return `schema-${schemaFingerprint(dataset)}`;
}

const PARQUET = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
} as const;

/**
 * The Glue `TableInput` of a dataset's curated table: Parquet under `location`, the curated columns with their
 * descriptions as comments, partitions `year`/`month` (int) found by partition projection (no crawler, no
 * MSCK REPAIR), and the initial data version. The local bootstrap sends it to CreateTable; the CDK catalog
 * turns it into an `AWS::Glue::Table`.
 *
 * @param location the dataset's curated prefix, e.g. `s3://examlake-curated/exam_results/` (a trailing slash is added)
 */
export function glueTableInput(dataset: DatasetSchema | string, location: string): TableInput {
  const schema = typeof dataset === 'string' ? getDataset(dataset) : dataset;
  const base = location.endsWith('/') ? location : `${location}/`;
  const [year, month] = PARTITION_COLUMNS;
  return {
    Name: schema.name,
    Description: `${schema.title}: ${schema.description} Grain: ${schema.grain}.`,
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      classification: 'parquet',
      EXTERNAL: 'TRUE',
      'parquet.compression': 'SNAPPY',
      'projection.enabled': 'true',
      [`projection.${year!.name}.type`]: 'integer',
      [`projection.${year!.name}.range`]: `${PARTITION_YEAR_RANGE.first},${PARTITION_YEAR_RANGE.last}`,
      [`projection.${month!.name}.type`]: 'integer',
      [`projection.${month!.name}.range`]: '1,12',
      [`projection.${month!.name}.digits`]: String(month!.digits),
      'storage.location.template': `${base}${year!.name}=\${${year!.name}}/${month!.name}=\${${month!.name}}/`,
      [DATA_VERSION_PARAMETER]: initialDataVersion(schema),
      [SCHEMA_FINGERPRINT_PARAMETER]: schemaFingerprint(schema),
      'examlake.natural_key': schema.naturalKey.join(','),
      'examlake.sort_keys': schema.sortKeys.join(','),
    },
    PartitionKeys: PARTITION_COLUMNS.map((p) => ({ Name: p.name, Type: glueType(p.type), Comment: p.description })),
    StorageDescriptor: {
      Columns: curatedColumns(schema).map((c) => ({
        Name: c.name,
        Type: glueType(c.type),
        Comment: glueComment(c.description),
      })),
      Location: base,
      InputFormat: PARQUET.inputFormat,
      OutputFormat: PARQUET.outputFormat,
      Compressed: true,
      SerdeInfo: { SerializationLibrary: PARQUET.serde, Parameters: { 'serialization.format': '1' } },
    },
  };
}

/** Glue limits a column comment to 255 characters. */
export const GLUE_COMMENT_MAX_LENGTH = 255;

function glueComment(description: string): string {
  const plain = description.replace(/`/g, '');
  return plain.length <= GLUE_COMMENT_MAX_LENGTH ? plain : `${plain.slice(0, GLUE_COMMENT_MAX_LENGTH - 1)}…`;
}
