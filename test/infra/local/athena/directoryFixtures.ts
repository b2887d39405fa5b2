import { createHash } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Database, Table } from '@aws-sdk/client-glue';
import { DuckDBInstance } from '@duckdb/node-api';
import type { GlueCatalogReader } from '../../../../infra/local/glue/GlueCatalogReader';
import type { S3ObjectFiles, StoredObject } from '../../../../infra/local/s3/S3ObjectFiles';

/**
 * FOR ENGINE UNIT TESTS ONLY: S3ObjectFiles over a directory (`<root>/<bucket>/<key>`), so the query engine can
 * be tested on real Parquet files without the S3 service. Integration tests use the stack's real S3 store.
 */
export function directoryObjectFiles(root: string): S3ObjectFiles {
  const statOf = async (bucket: string, key: string): Promise<StoredObject | undefined> => {
    const file = path.join(root, bucket, key);
    try {
      const info = await stat(file);
      if (!info.isFile()) return undefined;
      const etag = createHash('md5').update(`${file}:${info.size}:${info.mtimeMs}`).digest('hex');
      return { bucket, key, path: file, size: info.size, etag, lastModified: info.mtime };
    } catch {
      return undefined;
    }
  };
  return {
    async list(bucket, prefix) {
      const base = path.join(root, bucket);
      let entries: string[];
      try {
        entries = (await readdir(base, { recursive: true })) as string[];
      } catch {
        return [];
      }
      const keys = entries
        .map((e) => e.split(path.sep).join('/'))
        .filter((k) => k.startsWith(prefix))
        .sort();
      const objects = await Promise.all(keys.map((k) => statOf(bucket, k)));
      return objects.filter((o): o is StoredObject => o !== undefined);
    },
    stat: statOf,
  };
}

/** FOR ENGINE UNIT TESTS ONLY: a GlueCatalogReader over fixed tables (none with registered partitions). */
export function fixedCatalog(tables: Record<string, Table[]>): GlueCatalogReader {
  return {
    async getDatabase(name) {
      return tables[name] ? ({ Name: name } as Database) : undefined;
    },
    async getDatabases() {
      return Object.keys(tables)
        .sort()
        .map((name) => ({ Name: name }) as Database);
    },
    async getTables(name) {
      return tables[name] ?? [];
    },
    async getTable(db, name) {
      return tables[db]?.find((t) => t.Name === name);
    },
    async getPartitions() {
      return [];
    },
    revision: () => 0,
  };
}

/** Writes Parquet files with DuckDB: each entry is a key under `<root>/<bucket>/` and the SELECT producing it. */
export async function writeParquet(root: string, bucket: string, files: Record<string, string>): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const [key, select] of Object.entries(files)) {
      const file = path.join(root, bucket, key);
      await mkdir(path.dirname(file), { recursive: true });
      await connection.run(`COPY (${select}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A Parquet Glue table partitioned by year/month with projection, like the curated tables. */
export function partitionedTable(name: string, location: string, columns: [string, string][]): Table {
  return {
    Name: name,
    Parameters: {
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.year.type': 'integer',
      'projection.year.range': '2020,2030',
      'projection.month.type': 'integer',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
      'storage.location.template': `${location}year=\${year}/month=\${month}/`,
    },
    PartitionKeys: [
      { Name: 'year', Type: 'int' },
      { Name: 'month', Type: 'int' },
    ],
    StorageDescriptor: {
      Location: location,
      Columns: columns.map(([Name, Type]) => ({ Name, Type })),
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    },
  };
}
