import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { S3Error } from './S3Error';
import type { S3ObjectFiles, StoredObject } from './S3ObjectFiles';
import { OBJECT_RESOURCES, S3RVER_MARKER, S3rverLayout } from './S3rverLayout';

/** Longest key segment we store: the file system's 255-byte names minus the longest s3rver suffix. */
export const MAX_KEY_SEGMENT_BYTES = 230;
export const MAX_KEY_BYTES = 1024;
/** Bound of the in-memory ETag cache (entries are small: a path and four values). */
const MAX_REMEMBERED_ETAGS = 100_000;

/**
 * The local S3's objects as files, where `S3rverLayout` puts them: object `a/b/c.csv` of bucket `raw` is one file
 * holding exactly its bytes, with its ETag and stored headers in files beside it.
 */
export class S3rverObjectFiles implements S3ObjectFiles {
  /** ETags by object file, valid while the file's identity, size and mtime are unchanged (a write renames a new file in). */
  private readonly etags = new Map<string, { ino: number; size: number; mtimeMs: number; etag: string }>();

  constructor(readonly layout: S3rverLayout) {}

  bucketPath(bucket: string): string {
    return this.layout.bucketPath(bucket);
  }

  /** Path of the file holding exactly the object's bytes. */
  objectPath(bucket: string, key: string): string {
    return this.layout.objectPath(bucket, key);
  }

  async bucketExists(bucket: string): Promise<boolean> {
    if (!isPlausibleBucketName(bucket)) return false;
    try {
      return (await stat(this.bucketPath(bucket))).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Every key starting with `prefix`, sorted by UTF-8 bytes as S3 sorts them. An unknown bucket lists nothing. */
  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    if (!(await this.bucketExists(bucket))) return [];
    const bucketDir = this.bucketPath(bucket);
    // Only the folder named by the prefix's complete segments can hold matching keys.
    const prefixDirs = prefix.split('/').slice(0, -1);
    if (prefixDirs.some((segment) => segment === '' || segment === '.' || segment === '..')) return [];
    const keys: string[] = [];
    await walk(path.join(bucketDir, ...prefixDirs), prefixDirs.join('/'), keys);
    return keys.filter((key) => key.startsWith(prefix)).sort(compareKeys);
  }

  async list(bucket: string, prefix: string): Promise<StoredObject[]> {
    const keys = await this.listKeys(bucket, prefix);
    const objects = await Promise.all(keys.map((key) => this.stat(bucket, key)));
    return objects.filter((object): object is StoredObject => object !== undefined);
  }

  async stat(bucket: string, key: string): Promise<StoredObject | undefined> {
    if (!isPlausibleBucketName(bucket) || keyProblem(key) !== undefined) return undefined;
    const objectPath = this.layout.objectPath(bucket, key);
    try {
      const info = await stat(objectPath);
      if (!info.isFile()) return undefined;
      return {
        bucket,
        key,
        path: objectPath,
        size: info.size,
        etag: await md5Of(objectPath),
        lastModified: info.mtime,
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * The ETag of an object file, remembered while the file's identity, size and mtime are unchanged. A write renames
   * the object into place before its `.md5` side file, so an `.md5` older than the object is the previous version's:
   * then the ETag is computed from the bytes instead (only a reader racing an overwrite ever gets there).
   */
  async etagOf(objectPath: string, info: { ino: number; size: number; mtimeMs: number }): Promise<string> {
    const known = this.etags.get(objectPath);
    if (known && known.ino === info.ino && known.size === info.size && known.mtimeMs === info.mtimeMs)
      return known.etag;
    const etagPath = this.layout.etagPathOf(objectPath);
    const md5File = await stat(etagPath).catch(() => undefined);
    const etag =
      md5File && md5File.mtimeMs >= info.mtimeMs ? (await readFile(etagPath, 'utf8')).trim() : await md5Of(objectPath);
    if (this.etags.size >= MAX_REMEMBERED_ETAGS) this.etags.clear();
    this.etags.set(objectPath, { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, etag });
    return etag;
  }

  /** The object's stored headers (`content-type`, `x-amz-meta-*`, ...) from s3rver's metadata file. */
  async metadata(bucket: string, key: string): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.layout.resourcePath(bucket, key, OBJECT_RESOURCES.metadata), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
  }
}

/** Why a key cannot be stored locally, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'an object key must not be empty';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `an object key is at most ${MAX_KEY_BYTES} bytes`;
  if (key.includes('\0')) return 'an object key must not contain NUL characters';
  if (key.includes(S3RVER_MARKER)) return `the local S3 reserves '${S3RVER_MARKER}' in object keys`;
  const segments = key.split('/');
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (segment === '' && !last) return 'the local S3 stores no keys with empty path segments (a leading or double /)';
    if (segment === '.' || segment === '..') return "the local S3 stores no keys with '.' or '..' path segments";
    if (Buffer.byteLength(segment) > MAX_KEY_SEGMENT_BYTES) {
      return `the local S3 stores no key segment (between slashes) longer than ${MAX_KEY_SEGMENT_BYTES} bytes`;
    }
  }
  return undefined;
}

export function assertStorableKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) {
    throw new S3Error(
      Buffer.byteLength(key) > MAX_KEY_BYTES ? 'KeyTooLongError' : 'InvalidArgument',
      `Invalid object key: ${problem}.`,
    );
  }
}

/** S3 orders keys by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function isPlausibleBucketName(bucket: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket);
}

async function walk(dir: string, keyDir: string, keys: string[]): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw err;
  }
  const nested: Promise<void>[] = [];
  for (const entry of entries) {
    const keyPath = keyDir ? `${keyDir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      // s3rver's own folders (pending multipart uploads) carry the marker; keys never do.
      if (!S3rverLayout.isStoreFolder(entry.name)) nested.push(walk(path.join(dir, entry.name), keyPath, keys));
    } else if (entry.isFile()) {
      const segment = S3rverLayout.keySegmentOf(entry.name);
      if (segment !== undefined) keys.push(keyDir ? `${keyDir}/${segment}` : segment);
    }
  }
  await Promise.all(nested);
}

async function md5Of(objectPath: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(objectPath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
