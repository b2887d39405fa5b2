import type { Column, StorageDescriptor } from '@aws-sdk/client-glue';
import { AwsServiceError } from '../edge/AwsServiceError';
import type { InputReader } from '../edge/InputReader';
import { checkName, glueErrors } from './glueErrors';

/** A database's definition as DatabaseInput gives it (the name already lower-cased, as Glue stores it). */
export interface DatabaseDefinition {
  readonly Name: string;
  readonly Description?: string;
  readonly LocationUri?: string;
  readonly Parameters: Record<string, string>;
}

/** A table's definition as TableInput gives it; CreateTable stores it, UpdateTable replaces it whole (as Glue does). */
export interface GlueTableDefinition {
  readonly Name: string;
  readonly Description?: string;
  readonly Owner?: string;
  readonly Retention: number;
  readonly StorageDescriptor?: StorageDescriptor;
  readonly PartitionKeys: Column[];
  readonly ViewOriginalText?: string;
  readonly ViewExpandedText?: string;
  readonly TableType?: string;
  readonly Parameters: Record<string, string>;
}

/** A partition's definition as PartitionInput gives it: its values (one per partition key, in order) and files. */
export interface PartitionDefinition {
  readonly Values: string[];
  readonly StorageDescriptor?: StorageDescriptor;
  readonly Parameters: Record<string, string>;
  readonly LastAccessTime?: number;
}

/** Glue keeps catalog names in lower case: `CreateDatabase(Name: 'ExamLake')` creates `examlake`. */
export function catalogName(value: string, memberPath: string): string {
  return checkName(value, memberPath).toLowerCase();
}

export function readDatabaseInput(input: InputReader): DatabaseDefinition {
  const name = catalogName(input.string('Name'), 'databaseInput.name');
  return {
    Name: name,
    Description: input.optionalString('Description', { maxLength: 2048 }),
    LocationUri: input.optionalString('LocationUri', { minLength: 1, maxLength: 1024 }),
    Parameters: input.optionalStringMap('Parameters') ?? {},
  };
}

export function readTableInput(input: InputReader): GlueTableDefinition {
  const name = catalogName(input.string('Name'), 'tableInput.name');
  const descriptor = input.optionalObject('StorageDescriptor');
  return {
    Name: name,
    Description: input.optionalString('Description', { maxLength: 2048 }),
    Owner: input.optionalString('Owner', { minLength: 1, maxLength: 255 }),
    Retention: input.optionalInteger('Retention', { min: 0 }) ?? 0,
    StorageDescriptor: descriptor ? readStorageDescriptor(descriptor, input.raw('StorageDescriptor')) : undefined,
    PartitionKeys: readColumns(input, 'PartitionKeys', 'tableInput.partitionKeys'),
    ViewOriginalText: input.optionalString('ViewOriginalText'),
    ViewExpandedText: input.optionalString('ViewExpandedText'),
    TableType: input.optionalString('TableType', { maxLength: 255 }),
    Parameters: input.optionalStringMap('Parameters') ?? {},
  };
}

export function readPartitionInput(input: InputReader, memberPath = 'partitionInput'): PartitionDefinition {
  const descriptor = input.optionalObject('StorageDescriptor');
  return {
    Values: readPartitionValues(input, 'Values', `${memberPath}.values`),
    StorageDescriptor: descriptor ? readStorageDescriptor(descriptor, input.raw('StorageDescriptor')) : undefined,
    Parameters: input.optionalStringMap('Parameters') ?? {},
    ...(typeof input.raw('LastAccessTime') === 'number'
      ? { LastAccessTime: input.raw('LastAccessTime') as number }
      : {}),
  };
}

/** A list of partition values (strings, at most 1,024 characters each), as `Values` and `PartitionValues` are. */
export function readPartitionValues(input: InputReader, member: string, memberPath: string): string[] {
  const value = input.raw(member);
  if (value === undefined || value === null) throw glueErrors.validation(memberPath, 'null', 'Member must not be null');
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new AwsServiceError('SerializationException', `Member ${memberPath} must be a list of strings.`);
  }
  for (const v of value as string[]) {
    if (v.length > 1024) {
      throw glueErrors.validation(memberPath, `'${v}'`, 'Member must have length less than or equal to 1024');
    }
  }
  return value as string[];
}

/**
 * Checks the members engines rely on (columns, location, parameters, SerDe parameters) and keeps the rest of
 * the descriptor as given, as Glue stores it.
 */
function readStorageDescriptor(descriptor: InputReader, raw: unknown): StorageDescriptor {
  const serde = descriptor.optionalObject('SerdeInfo');
  serde?.optionalString('SerializationLibrary');
  serde?.optionalStringMap('Parameters');
  descriptor.optionalString('InputFormat');
  descriptor.optionalString('OutputFormat');
  descriptor.optionalBoolean('Compressed');
  descriptor.optionalInteger('NumberOfBuckets');
  descriptor.optionalStringMap('Parameters');
  return {
    ...(raw as StorageDescriptor),
    Columns: readColumns(descriptor, 'Columns', 'tableInput.storageDescriptor.columns'),
    Location: descriptor.optionalString('Location', { maxLength: 2056 }),
  };
}

function readColumns(input: InputReader, member: string, memberPath: string): Column[] {
  const value = input.raw(member);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new AwsServiceError('SerializationException', `Member ${memberPath} must be a list of columns.`);
  }
  return value.map((column, index) => {
    const at = `${memberPath}.${index + 1}.member`;
    if (typeof column !== 'object' || column === null || Array.isArray(column)) {
      throw new AwsServiceError('SerializationException', `Member ${at} must be a structure.`);
    }
    const { Name, Type, Comment, Parameters } = column as Record<string, unknown>;
    if (typeof Name !== 'string') throw glueErrors.validation(`${at}.name`, 'null', 'Member must not be null');
    checkName(Name, `${at}.name`);
    if (Type !== undefined && typeof Type !== 'string') {
      throw new AwsServiceError('SerializationException', `Member ${at}.type must be a string.`);
    }
    if (Comment !== undefined && typeof Comment !== 'string') {
      throw new AwsServiceError('SerializationException', `Member ${at}.comment must be a string.`);
    }
    return {
      Name,
      ...(Type !== undefined ? { Type } : {}),
      ...(Comment !== undefined ? { Comment } : {}),
      ...(Parameters !== undefined ? { Parameters: Parameters as Record<string, string> } : {}),
    };
  });
}
