import {
  AlreadyExistsException,
  ConcurrentModificationException,
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
  type GlueClient,
  type Table,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { type JobOwnedState, mergeTableSchema, sameTable, type TableSchema, withJobState } from './tableSchema';

/** What `ensureTableSchema` did. */
export type SchemaOutcome = 'created' | 'updated' | 'unchanged';

/** Attempts at UpdateTable when a job run commits between our read and our write. */
const MAX_ATTEMPTS = 5;

/**
 * Gives a dataset table its schema without touching what the transform job owns:
 *
 * ```
 * absent        ─ CreateTable(schema + initial location and version)
 * present       ─ GetTable → merge (schema from the template; Location, storage.location.template and
 *                 examlake.data_version from the live table) → UpdateTable guarded by the live VersionId
 * job commits   ─ the guard fails (ConcurrentModificationException) → read again, merge again (up to 5 times)
 * in between
 * ```
 *
 * The initial state is used only to create the table; a table that exists keeps its own, so a stack update never
 * points Athena back at an empty prefix or resets the data version the next incremental run reads.
 */
export async function ensureTableSchema(
  glue: GlueClient,
  database: string,
  schema: TableSchema,
  initial: JobOwnedState,
): Promise<SchemaOutcome> {
  for (let attempt = 1; ; attempt++) {
    const live = await getTable(glue, database, schema.Name!);
    if (!live) {
      try {
        await glue.send(new CreateTableCommand({ DatabaseName: database, TableInput: withJobState(schema, initial) }));
        return 'created';
      } catch (err) {
        // Created in between (a job run does not create tables, but a second deployment might): merge into it.
        if (err instanceof AlreadyExistsException && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
    const merged = mergeTableSchema(live, schema);
    if (sameTable(live, merged)) return 'unchanged';
    try {
      await glue.send(
        new UpdateTableCommand({ DatabaseName: database, TableInput: merged, VersionId: live.VersionId }),
      );
      return 'updated';
    } catch (err) {
      if (err instanceof ConcurrentModificationException && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
}

async function getTable(glue: GlueClient, database: string, name: string): Promise<Table | undefined> {
  try {
    return (await glue.send(new GetTableCommand({ DatabaseName: database, Name: name }))).Table;
  } catch (err) {
    if (err instanceof EntityNotFoundException) return undefined;
    throw err;
  }
}
