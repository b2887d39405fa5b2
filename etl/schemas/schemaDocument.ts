import { createHash } from 'node:crypto';
import { glueType, TYPE_FORMATS, typeLabel } from './columnTypes';
import { curatedColumns, LINEAGE_COLUMNS, PARTITION_COLUMNS, PARTITION_YEAR_RANGE } from './curatedColumns';
import type { DatasetSchema } from './DatasetSchema';
import { DATASETS } from './datasets';
import { REJECT_REASONS, SUPERSEDED } from './rejectReasons';

/** Version of the layout of `schemaDocument()`; readers (the Glue job) refuse a version they do not know. */
export const SCHEMA_DOCUMENT_VERSION = 1;

/**
 * The schemas as plain JSON, for readers that cannot import TypeScript: the Glue PySpark job ships it next to
 * its script and applies the same types, formats, constraints, rules, keys and reasons. Key order is fixed, so
 * the text is stable and can be diffed.
 */
export function schemaDocument() {
  return {
    formatVersion: SCHEMA_DOCUMENT_VERSION,
    typeFormats: TYPE_FORMATS,
    rejectReasons: Object.entries(REJECT_REASONS).map(([code, r], order) => ({ code, order, ...r })),
    superseded: SUPERSEDED,
    partitionColumns: PARTITION_COLUMNS.map((p) => ({ ...p, glueType: glueType(p.type) })),
    partitionYearRange: PARTITION_YEAR_RANGE,
    lineageColumns: LINEAGE_COLUMNS.map((c) => ({ ...c, glueType: glueType(c.type) })),
    datasets: Object.values(DATASETS).map((d) => ({ ...datasetDocument(d), fingerprint: schemaFingerprint(d) })),
  };
}

export type SchemaDocument = ReturnType<typeof schemaDocument>;

function datasetDocument(d: DatasetSchema) {
  return {
    name: d.name,
    title: d.title,
    description: d.description,
    grain: d.grain,
    columns: d.columns.map((c) => ({
      name: c.name,
      type: c.type,
      typeLabel: typeLabel(c.type),
      glueType: glueType(c.type),
      nullable: c.nullable,
      pii: c.pii,
      description: c.description,
      aliases: c.aliases,
      constraints: c.constraints,
      example: c.example,
    })),
    naturalKey: d.naturalKey,
    rules: d.rules,
    sortKeys: d.sortKeys,
    partitionSource: d.partitionSource,
    pseudonymSource: d.pseudonymSource,
    curatedColumns: curatedColumns(d).map((c) => c.name),
  };
}

/** First 16 hex digits of the SHA-256 of a dataset's definition: changes whenever anything in it changes. */
export function schemaFingerprint(dataset: DatasetSchema): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        formatVersion: SCHEMA_DOCUMENT_VERSION,
        dataset: datasetDocument(dataset),
        lineage: LINEAGE_COLUMNS,
        partitions: PARTITION_COLUMNS,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}
