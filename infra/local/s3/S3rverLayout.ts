import path from 'node:path';

/** The marker s3rver puts between a key's last segment and the resource a file holds. */
export const S3RVER_MARKER = '._S3rver_';

/** The files s3rver keeps for one object, by what they hold. */
export const OBJECT_RESOURCES = Object.freeze({
  /** Exactly the object's bytes. */
  object: 'object',
  /** The object's MD5 in hex (its ETag for a single-part upload), written after the object. */
  etag: 'object.md5',
  /** The stored headers (`content-type`, `x-amz-meta-*`, …) as a JSON object. */
  metadata: 'metadata.json',
});
export type ObjectResource = (typeof OBJECT_RESOURCES)[keyof typeof OBJECT_RESOURCES];

const OBJECT_SUFFIX = `${S3RVER_MARKER}${OBJECT_RESOURCES.object}`;

/**
 * s3rver's on-disk layout (s3rver 3.7's `lib/stores/filesystem.js`, which is private to it), read and written
 * here only: the local S3's reads in place, its all-or-nothing writes, its multipart checks, and through them the
 * engines that read objects as files (local Athena, the local Glue job) all take paths from this class.
 * `test/infra/local/s3/S3rverLayout.test.ts` pins it against the installed s3rver.
 *
 * ```
 * <root>/<bucket>/a/b/c.csv._S3rver_object          object a/b/c.csv: exactly its bytes
 * <root>/<bucket>/a/b/c.csv._S3rver_object.md5      its MD5 (hex)
 * <root>/<bucket>/a/b/c.csv._S3rver_metadata.json   its stored headers
 * <root>/<bucket>/._S3rver_uploads/<uploadId>/key   a multipart upload: its key, `metadata`, parts `1`, `1.md5`, …
 * ```
 */
export class S3rverLayout {
  constructor(readonly root: string) {}

  bucketPath(bucket: string): string {
    return path.join(this.root, bucket);
  }

  /** Path of one of a key's files. */
  resourcePath(bucket: string, key: string, resource: ObjectResource): string {
    const parts = key.split('/');
    const last = parts.pop() ?? '';
    return path.join(this.root, bucket, ...parts, `${last}${S3RVER_MARKER}${resource}`);
  }

  objectPath(bucket: string, key: string): string {
    return this.resourcePath(bucket, key, OBJECT_RESOURCES.object);
  }

  /** The ETag file beside an object file (`objectPath` as `objectPath()` gives it). */
  etagPathOf(objectPath: string): string {
    return `${objectPath.slice(0, -OBJECT_SUFFIX.length)}${S3RVER_MARKER}${OBJECT_RESOURCES.etag}`;
  }

  /** The folder of a pending multipart upload. */
  uploadPath(bucket: string, uploadId: string): string {
    return path.join(this.root, bucket, `${S3RVER_MARKER}uploads`, uploadId);
  }

  /** The file naming a pending upload's key (present while the upload is open). */
  uploadKeyPath(bucket: string, uploadId: string): string {
    return path.join(this.uploadPath(bucket, uploadId), 'key');
  }

  /** One uploaded part's bytes; its MD5 is the same path plus `.md5`. */
  partPath(bucket: string, uploadId: string, partNumber: number | string): string {
    return path.join(this.uploadPath(bucket, uploadId), String(partNumber));
  }

  /** The last key segment an object file holds, or undefined for a file that is no object's bytes. */
  static keySegmentOf(fileName: string): string | undefined {
    return fileName.endsWith(OBJECT_SUFFIX) ? fileName.slice(0, -OBJECT_SUFFIX.length) : undefined;
  }

  /** A folder of s3rver's own (pending uploads), never a key's folder. */
  static isStoreFolder(name: string): boolean {
    return name.includes(S3RVER_MARKER);
  }
}
