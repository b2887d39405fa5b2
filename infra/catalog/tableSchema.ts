import type { Table, TableInput } from '@aws-sdk/client-glue';
import { DATA_VERSION_PARAMETER } from '../../etl/schemas/glueTableInput';

/**
 * Who owns what in a dataset's Glue table. The deployment (CloudFormation on AWS, the bootstrap locally) owns the
 * schema: columns, partition keys, formats, description, partition projection. The transform job owns where the
 * current data is and which version it is: every run moves these three to the version it commits.
 */
export const JOB_OWNED_PARAMETERS = ['storage.location.template', DATA_VERSION_PARAMETER] as const;

/** A table's schema alone: the TableInput without the job-owned location, location template and data version. */
export type TableSchema = TableInput;

/** What the job owns, taken from a table: the location and the job-owned parameters (those set). */
export interface JobOwnedState {
  readonly location: string | undefined;
  readonly parameters: Readonly<Record<string, string>>;
}

/** Splits a full TableInput (as `glueTableInput()` builds it) into the schema and the job's initial state. */
export function splitTableInput(input: TableInput): { schema: TableSchema; initial: JobOwnedState } {
  const parameters = { ...input.Parameters };
  const owned: Record<string, string> = {};
  for (const name of JOB_OWNED_PARAMETERS) {
    if (parameters[name] !== undefined) owned[name] = parameters[name];
    delete parameters[name];
  }
  const { Location, ...storage } = input.StorageDescriptor ?? {};
  return {
    schema: { ...input, Parameters: parameters, StorageDescriptor: storage },
    initial: { location: Location, parameters: owned },
  };
}

/** A table's input as first created: the schema with the job's initial state. */
export function withJobState(schema: TableSchema, state: JobOwnedState): TableInput {
  return {
    ...schema,
    Parameters: { ...schema.Parameters, ...state.parameters },
    StorageDescriptor: {
      ...schema.StorageDescriptor,
      ...(state.location === undefined ? {} : { Location: state.location }),
    },
  };
}

/** The job-owned state of a live table. */
export function jobStateOf(table: Table): JobOwnedState {
  const parameters: Record<string, string> = {};
  for (const name of JOB_OWNED_PARAMETERS) {
    const value = table.Parameters?.[name];
    if (value !== undefined) parameters[name] = value;
  }
  return { location: table.StorageDescriptor?.Location, parameters };
}

/**
 * The UpdateTable input that gives a live table the template's schema and keeps everything the job owns. The
 * schema's own parameters replace the live ones (a parameter dropped from the schema goes), except the job's.
 */
export function mergeTableSchema(live: Table, schema: TableSchema): TableInput {
  if (live.Name !== schema.Name) throw new Error(`Cannot merge the schema of ${schema.Name} into table ${live.Name}`);
  return withJobState(schema, jobStateOf(live));
}

/** True when UpdateTable with `input` would change nothing the schema or the job owns. */
export function sameTable(live: Table, input: TableInput): boolean {
  const current: TableInput = {
    Name: live.Name,
    Description: live.Description,
    Owner: live.Owner,
    // Glue reports a Retention of 0 for a table created without one.
    Retention: live.Retention === 0 && input.Retention === undefined ? undefined : live.Retention,
    TableType: live.TableType,
    Parameters: live.Parameters,
    PartitionKeys: live.PartitionKeys,
    StorageDescriptor: live.StorageDescriptor,
    ViewOriginalText: live.ViewOriginalText,
    ViewExpandedText: live.ViewExpandedText,
  };
  return canonical(current) === canonical(input);
}

/** JSON with sorted keys and undefined or empty members left out, so equal tables compare equal. */
function canonical(value: unknown): string {
  const normal = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(normal);
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const entries = Object.entries(v)
        .filter(([, member]) => member !== undefined && !(Array.isArray(member) && member.length === 0))
        .map(([key, member]) => [key, normal(member)] as const)
        .filter(([, member]) => !(member !== null && typeof member === 'object' && Object.keys(member).length === 0))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries);
    }
    return v;
  };
  return JSON.stringify(normal(value));
}
