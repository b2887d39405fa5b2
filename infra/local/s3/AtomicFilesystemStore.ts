import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import FilesystemStore = require('s3rver/lib/stores/filesystem');

import { OBJECT_RESOURCES, type S3rverLayout } from './S3rverLayout';

type S3rverObject = Parameters<FilesystemStore['putObject']>[0];

/** The request headers s3rver stores with an object (besides `x-amz-meta-*`), as its `S3Object.ALLOWED_METADATA`. */
const STORED_HEADERS = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-type',
  'expires',
  'x-amz-storage-class',
  'x-amz-website-redirect-location',
]);

/**
 * s3rver's file store (writing where `S3rverLayout` says) with all-or-nothing writes: an object (or part) is written to a temporary file and renamed
 * into place only when its whole body has arrived, so readers (GetObject, DuckDB reading files in place) never
 * see a half-written object, and an upload that fails midway (client gone, bad checksum) leaves the previous
 * version untouched. s3rver's own store writes in place and never finishes a write whose body stream errors.
 */
export class AtomicFilesystemStore extends FilesystemStore {
  constructor(
    private readonly layout: S3rverLayout,
    /** Directory for in-progress writes, on the same file system as the root (rename must be atomic). */
    private readonly tmpDirectory: string,
  ) {
    super(layout.root);
  }

  override async putObject(object: S3rverObject): Promise<{ size: number; md5: string }> {
    const objectPath = this.layout.objectPath(object.bucket, object.key);
    const { tmp, size, md5 } = await this.receive(object.content);
    await this.moveInto(tmp, objectPath);
    await this.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size, md5 };
  }

  override async putPart(
    bucket: string,
    uploadId: string,
    partNumber: string | number,
    content: Readable,
  ): Promise<{ size: number; md5: string }> {
    const partPath = this.layout.partPath(bucket, uploadId, partNumber);
    const { tmp, size, md5 } = await this.receive(content);
    try {
      await mkdir(path.dirname(partPath), { recursive: true });
      await writeFile(`${partPath}.md5`, md5);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    await this.moveInto(tmp, partPath);
    return { size, md5 };
  }

  override async putMetadata(
    bucket: string,
    key: string,
    metadata: Record<string, string>,
    md5?: string,
  ): Promise<void> {
    // The headers s3rver keeps with an object; each side file is replaced atomically, like the object.
    const kept = Object.fromEntries(
      Object.entries(metadata).filter(([name]) => STORED_HEADERS.has(name) || name.startsWith('x-amz-meta-')),
    );
    // Independent files: written side by side (the ETag file is newer than the object either way).
    await Promise.all([
      md5 ? this.writeAtomically(this.layout.resourcePath(bucket, key, OBJECT_RESOURCES.etag), md5) : undefined,
      this.writeAtomically(
        this.layout.resourcePath(bucket, key, OBJECT_RESOURCES.metadata),
        JSON.stringify(kept, null, 2),
      ),
    ]);
  }

  override async copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata: Record<string, string> | null,
  ): Promise<Record<string, string>> {
    const src = this.layout.objectPath(srcBucket, srcKey);
    const dest = this.layout.objectPath(destBucket, destKey);
    if (src !== dest) {
      const tmp = path.join(this.tmpDirectory, randomUUID());
      await copyFile(src, tmp);
      await this.moveInto(tmp, dest);
      if (!replacementMetadata) {
        for (const resource of [OBJECT_RESOURCES.metadata, OBJECT_RESOURCES.etag]) {
          const copy = path.join(this.tmpDirectory, randomUUID());
          try {
            await copyFile(this.layout.resourcePath(srcBucket, srcKey, resource), copy);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
            throw err;
          }
          await this.replaceFile(copy, this.layout.resourcePath(destBucket, destKey, resource));
        }
      }
    }
    if (replacementMetadata) await this.putMetadata(destBucket, destKey, replacementMetadata);
    return this.getMetadata(destBucket, destKey);
  }

  private async receive(content: Readable | Buffer): Promise<{ tmp: string; size: number; md5: string }> {
    await mkdir(this.tmpDirectory, { recursive: true });
    const tmp = path.join(this.tmpDirectory, randomUUID());
    if (Buffer.isBuffer(content)) {
      // A body already in memory (an engine's result): one write, no stream.
      try {
        await writeFile(tmp, content);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return { tmp, size: content.length, md5: createHash('md5').update(content).digest('hex') };
    }
    const hash = createHash('md5');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(content, counter, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { tmp, size, md5: hash.digest('hex') };
  }

  private async writeAtomically(target: string, text: string): Promise<void> {
    await mkdir(this.tmpDirectory, { recursive: true });
    const tmp = path.join(this.tmpDirectory, randomUUID());
    await writeFile(tmp, text);
    await this.replaceFile(tmp, target);
  }

  /**
   * Renames a finished temporary file to `target`, creating its folder. A concurrent delete of the folder's last
   * object removes empty folders (s3rver's tidy-up), so a rename that finds its folder gone makes it again.
   */
  private async moveInto(tmp: string, target: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await rename(tmp, target);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 5) continue;
        await rm(tmp, { force: true });
        throw err;
      }
    }
  }

  private async replaceFile(from: string, to: string): Promise<void> {
    try {
      await rename(from, to);
    } catch (err) {
      await rm(from, { force: true });
      throw err;
    }
  }
}
