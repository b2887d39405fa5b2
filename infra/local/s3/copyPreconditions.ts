import type { IncomingMessage } from 'node:http';
import { matchesEtag } from './getObject';
import { noSuchKey, S3Error } from './S3Error';
import type { S3ObjectFiles } from './S3ObjectFiles';

/**
 * CopyObject's conditions on its source, `x-amz-copy-source-if-match` / `-if-none-match` (s3a sends the first with
 * the ETag it read, to detect a source changed during a rename): S3 answers 412 PreconditionFailed when one does
 * not hold, where s3rver would answer NoSuchKey. A missing source is NoSuchKey.
 */
export async function assertCopyPreconditions(
  files: S3ObjectFiles,
  source: { readonly bucket: string; readonly key: string },
  req: IncomingMessage,
): Promise<void> {
  const stored = await files.stat(source.bucket, source.key);
  if (!stored) throw noSuchKey(source.key);
  const etag = `"${stored.etag}"`;
  const ifMatch = req.headers['x-amz-copy-source-if-match'];
  const ifNoneMatch = req.headers['x-amz-copy-source-if-none-match'];
  const failed =
    (typeof ifMatch === 'string' && !matchesEtag(ifMatch, etag)) ||
    (typeof ifNoneMatch === 'string' && matchesEtag(ifNoneMatch, etag));
  if (failed) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
      Condition: typeof ifMatch === 'string' ? 'x-amz-copy-source-If-Match' : 'x-amz-copy-source-If-None-Match',
    });
  }
  // s3rver applies the conditions again with its own reading of them; they hold, so drop them.
  delete req.headers['x-amz-copy-source-if-match'];
  delete req.headers['x-amz-copy-source-if-none-match'];
}
