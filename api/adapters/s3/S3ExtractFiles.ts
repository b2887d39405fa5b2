import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExtractFile, ExtractFiles, ExtractRecord } from '../../ports/ExtractFiles';

/** The folder of extracts in the results bucket (`infra/resources.ts` declares it for the CDK app too; a test keeps them equal). */
export const EXTRACTS_PREFIX = 'extracts/';

/**
 * Extracts in the results bucket: the files under `extracts/<owner>/<id>/` (Athena UNLOAD writes them), the
 * record beside them as `extracts/<owner>/<id>.json` (outside the UNLOAD target, which must be empty).
 */
export class S3ExtractFiles implements ExtractFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  locationOf(owner: string, id: string): string {
    return `s3://${this.bucket}/${EXTRACTS_PREFIX}${owner}/${id}/`;
  }

  async save(record: ExtractRecord): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${EXTRACTS_PREFIX}${record.owner}/${record.id}.json`,
        Body: JSON.stringify(record),
        ContentType: 'application/json',
      }),
    );
  }

  async get(owner: string, id: string): Promise<ExtractRecord | undefined> {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${EXTRACTS_PREFIX}${owner}/${id}.json` }),
      );
      return JSON.parse(await out.Body!.transformToString()) as ExtractRecord;
    } catch (err) {
      if (err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }

  async list(owner: string): Promise<ExtractRecord[]> {
    const out = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${EXTRACTS_PREFIX}${owner}/`, Delimiter: '/' }),
    );
    const ids = (out.Contents ?? [])
      .map((o) => /\/([^/]+)\.json$/.exec(o.Key ?? '')?.[1])
      .filter((id): id is string => id !== undefined);
    const records = await Promise.all(ids.map((id) => this.get(owner, id)));
    return records
      .filter((r): r is ExtractRecord => r !== undefined)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async bytesSince(owner: string, since: Date): Promise<number> {
    let total = 0;
    let token: string | undefined;
    do {
      const out = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: `${EXTRACTS_PREFIX}${owner}/`,
          ContinuationToken: token,
        }),
      );
      for (const o of out.Contents ?? []) {
        if (!o.Key?.endsWith('.json') && o.LastModified && o.LastModified >= since) total += o.Size ?? 0;
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return total;
  }

  async manifestFiles(manifestLocation: string): Promise<ExtractFile[]> {
    const { bucket, key } = parse(manifestLocation);
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const locations = (await out.Body!.transformToString()).split('\n').filter((line) => line.trim() !== '');
    return Promise.all(
      locations.map(async (location) => {
        const file = parse(location);
        const head = await this.s3.send(new HeadObjectCommand({ Bucket: file.bucket, Key: file.key }));
        return { location, bytes: head.ContentLength ?? 0 };
      }),
    );
  }

  presign(location: string, ttlSeconds: number): Promise<string> {
    const { bucket, key } = parse(location);
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: ttlSeconds });
  }

  async remove(record: ExtractRecord): Promise<void> {
    const { bucket, key } = parse(record.location);
    const out = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key }));
    for (const object of out.Contents ?? []) {
      await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key! }));
    }
    await this.s3.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: `${EXTRACTS_PREFIX}${record.owner}/${record.id}.json` }),
    );
  }
}

function parse(location: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!match) throw new Error(`Not an S3 object location: ${location}`);
  return { bucket: match[1]!, key: match[2]! };
}
