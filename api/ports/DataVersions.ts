/** The current data version of each dataset table (Glue table parameter `examlake.data_version`). */
export interface DataVersions {
  /** The table's version; throws `DatasetNotLoadedError` when the table does not exist. */
  versionOf(table: string): Promise<string>;
}
