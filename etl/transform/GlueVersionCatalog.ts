import {
  ConcurrentModificationException,
  GetTableCommand,
  type GlueClient,
  type Table,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { PARTITION_COLUMNS } from '../schemas/curatedColumns';
import { DATA_VERSION_PARAMETER } from '../schemas/glueTableInput';
import { CommitConflictError } from './errors';

/** A dataset table's current version: where its files are, and the Glue table version to commit against. */
export interface CurrentVersion {
  readonly table: Table;
  /** `s3://bucket/<dataset>/v=<runId>/` when a run committed one; undefined for a table never written. */
  readonly location: { readonly bucket: string; readonly prefix: string } | undefined;
  readonly dataVersion: string | undefined;
}

const VERSION_LOCATION = /^s3:\/\/([^/]+)\/(.+\/v=[^/]+\/)$/;

/**
 * The curated tables' versions in the Glue catalog. A version is a prefix `s3://<curated>/<dataset>/v=<runId>/`
 * holding every partition; committing it is one `UpdateTable` that moves the table's `Location` and partition
 * projection's `storage.location.template` there and sets `examlake.data_version` to the run id, guarded by the
 * table's `VersionId` (a concurrent change makes the commit fail instead of overwriting it).
 */
export class GlueVersionCatalog {
  constructor(
    private readonly glue: GlueClient,
    private readonly database: string,
  ) {}

  async current(dataset: string): Promise<CurrentVersion> {
    const { Table } = await this.glue.send(new GetTableCommand({ DatabaseName: this.database, Name: dataset }));
    if (!Table) throw new Error(`Glue returned no table ${this.database}.${dataset}`);
    const match = VERSION_LOCATION.exec(Table.StorageDescriptor?.Location ?? '');
    return {
      table: Table,
      location: match ? { bucket: match[1]!, prefix: match[2]! } : undefined,
      dataVersion: Table.Parameters?.[DATA_VERSION_PARAMETER],
    };
  }

  /** Points the table at the new version and sets its data version, in one guarded UpdateTable. */
  async commit(current: CurrentVersion, location: string, runId: string): Promise<void> {
    const t = current.table;
    const base = location.endsWith('/') ? location : `${location}/`;
    const [year, month] = PARTITION_COLUMNS;
    const input: TableInput = {
      Name: t.Name,
      Description: t.Description,
      Owner: t.Owner,
      Retention: t.Retention,
      TableType: t.TableType,
      PartitionKeys: t.PartitionKeys,
      StorageDescriptor: { ...t.StorageDescriptor, Location: base },
      Parameters: {
        ...t.Parameters,
        'storage.location.template': `${base}${year!.name}=\${${year!.name}}/${month!.name}=\${${month!.name}}/`,
        [DATA_VERSION_PARAMETER]: runId,
      },
    };
    try {
      await this.glue.send(
        new UpdateTableCommand({ DatabaseName: this.database, TableInput: input, VersionId: t.VersionId }),
      );
    } catch (err) {
      if (err instanceof ConcurrentModificationException) {
        throw new CommitConflictError(
          `Table ${this.database}.${t.Name} changed during run ${runId}; nothing was committed. Run the job again.`,
          { cause: err },
        );
      }
      throw err;
    }
  }
}
