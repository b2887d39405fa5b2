/** An object as the local S3 store holds it on disk. */
export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  /** Absolute path of the file holding exactly the object's bytes. */
  readonly path: string;
  readonly size: number;
  /** The ETag S3 reports, without quotes. */
  readonly etag: string;
  readonly lastModified: Date;
}

/**
 * Engine-side read access to the local S3 store, the way Athena and Glue read S3 natively on AWS: DuckDB
 * opens the stored files in place instead of downloading them through the API for every query.
 * Writes always go through the S3 API.
 */
export interface S3ObjectFiles {
  /** Objects whose key starts with `prefix`, sorted by key. An unknown bucket lists nothing. */
  list(bucket: string, prefix: string): Promise<StoredObject[]>;
  /** One object, or undefined when it does not exist. */
  stat(bucket: string, key: string): Promise<StoredObject | undefined>;
}
