import { readFile, rm, stat } from 'node:fs/promises';
import { decodeXmlText } from './deleteObjectsBody';
import { S3Error } from './S3Error';
import type { S3rverLayout } from './S3rverLayout';

/** Smallest part S3 accepts, except for the last part of an upload. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/**
 * Checks on multipart uploads that s3rver leaves out, made before a request reaches it: the upload exists
 * (s3rver would create an empty one, or hang on a missing part), and a CompleteMultipartUpload lists uploaded
 * parts, in ascending order, with their ETags, each but the last at least 5 MiB, as S3 requires.
 * s3rver keeps an upload where `S3rverLayout.uploadPath` says (`key`, `metadata`, one file per part).
 */
export class MultipartUploads {
  constructor(private readonly layout: S3rverLayout) {}

  async assertUpload(bucket: string, uploadId: string): Promise<void> {
    if (!/^[0-9a-f]{32}$/.test(uploadId) || !(await exists(this.layout.uploadKeyPath(bucket, uploadId)))) {
      throw new S3Error(
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        404,
        { UploadId: uploadId },
      );
    }
  }

  /** AbortMultipartUpload: removes the upload and its parts. */
  async abort(bucket: string, uploadId: string): Promise<void> {
    await this.assertUpload(bucket, uploadId);
    await rm(this.layout.uploadPath(bucket, uploadId), { recursive: true, force: true });
  }

  async assertCompletable(bucket: string, uploadId: string, body: Buffer): Promise<void> {
    const parts = completedParts(body);
    const sizes: number[] = [];
    for (const [index, part] of parts.entries()) {
      if (index > 0 && part.number <= parts[index - 1]!.number) {
        throw new S3Error(
          'InvalidPartOrder',
          'The list of parts was not in ascending order. Parts must be ordered by part number.',
        );
      }
      const partPath = this.layout.partPath(bucket, uploadId, part.number);
      const [size, md5] = await Promise.all([
        stat(partPath).then(
          (info) => info.size,
          () => undefined,
        ),
        readFile(`${partPath}.md5`, 'utf8').then(
          (text) => text.trim(),
          () => undefined,
        ),
      ]);
      if (size === undefined || (part.etag !== undefined && md5 !== part.etag)) {
        throw new S3Error(
          'InvalidPart',
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          400,
          { UploadId: uploadId, PartNumber: part.number },
        );
      }
      sizes.push(size);
    }
    for (const [index, size] of sizes.slice(0, -1).entries()) {
      if (size < MIN_PART_BYTES) {
        throw new S3Error(
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed object size.',
          400,
          {
            ProposedSize: size,
            MinSizeAllowed: MIN_PART_BYTES,
            PartNumber: parts[index]!.number,
          },
        );
      }
    }
  }
}

/** The parts a CompleteMultipartUpload body lists, in its order. */
export function completedParts(body: Buffer): { number: number; etag?: string }[] {
  const xml = body.toString('utf8');
  const parts = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((match) => {
    const inner = match[1] ?? '';
    const number = Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(inner)?.[1]);
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(inner)?.[1];
    if (!Number.isInteger(number) || number < 1 || number > 10_000) throw malformedXml();
    return { number, etag: etag === undefined ? undefined : decodeXmlText(etag).replace(/"/g, '').trim() };
  });
  if (!/<CompleteMultipartUpload[\s>]/.test(xml) || parts.length === 0) throw malformedXml();
  return parts;
}

function malformedXml(): S3Error {
  return new S3Error(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
  );
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
