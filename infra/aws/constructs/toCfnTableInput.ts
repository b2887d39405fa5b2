import type { Column, StorageDescriptor, TableInput } from '@aws-sdk/client-glue';
import type { CfnTable } from 'aws-cdk-lib/aws-glue';

/**
 * Turns a Glue API `TableInput` (what `etl/schemas` produces, and what the local stack's CreateTable receives)
 * into the CloudFormation `AWS::Glue::Table` TableInput, field by field, so both runtimes get the same table
 * from one definition. Fields CloudFormation cannot express are refused rather than dropped.
 */
export function toCfnTableInput(input: TableInput): CfnTable.TableInputProperty {
  refuse(input, ['LastAccessTime', 'LastAnalyzedTime', 'FederatedTable', 'ViewDefinition', 'TargetTable']);
  if (!input.Name) throw new Error('Glue TableInput has no Name');
  return {
    name: input.Name,
    description: input.Description,
    owner: input.Owner,
    retention: input.Retention,
    tableType: input.TableType,
    parameters: input.Parameters,
    partitionKeys: input.PartitionKeys?.map(toCfnColumn),
    storageDescriptor: input.StorageDescriptor && toCfnStorageDescriptor(input.StorageDescriptor),
    viewOriginalText: input.ViewOriginalText,
    viewExpandedText: input.ViewExpandedText,
  };
}

function toCfnStorageDescriptor(sd: StorageDescriptor): CfnTable.StorageDescriptorProperty {
  refuse(sd, ['AdditionalLocations', 'SkewedInfo', 'SchemaReference']);
  return {
    columns: sd.Columns?.map(toCfnColumn),
    location: sd.Location,
    inputFormat: sd.InputFormat,
    outputFormat: sd.OutputFormat,
    compressed: sd.Compressed,
    numberOfBuckets: sd.NumberOfBuckets,
    serdeInfo: sd.SerdeInfo && {
      name: sd.SerdeInfo.Name,
      serializationLibrary: sd.SerdeInfo.SerializationLibrary,
      parameters: sd.SerdeInfo.Parameters,
    },
    bucketColumns: sd.BucketColumns,
    sortColumns: sd.SortColumns?.map((order) => ({
      column: required(order.Column, 'SortColumns.Column'),
      sortOrder: required(order.SortOrder, 'SortColumns.SortOrder'),
    })),
    parameters: sd.Parameters,
    storedAsSubDirectories: sd.StoredAsSubDirectories,
  };
}

function toCfnColumn(column: Column): CfnTable.ColumnProperty {
  refuse(column, ['Parameters']);
  return { name: required(column.Name, 'Column.Name'), type: column.Type, comment: column.Comment };
}

function required<T extends string | number>(value: T | undefined, field: string): T {
  if (value === undefined || value === '') throw new Error(`Glue TableInput has no ${field}`);
  return value;
}

function refuse<T extends object>(value: T, fields: readonly (keyof T & string)[]): void {
  for (const field of fields) {
    if (value[field] !== undefined) {
      throw new Error(`Glue TableInput field ${field} has no CloudFormation equivalent; leave it out of the schema`);
    }
  }
}
