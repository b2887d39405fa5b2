import { DeleteObjectCommand, ListObjectsV2Command, NoSuchBucket, S3Client } from '@aws-sdk/client-s3';
import { BUCKETS, EXTRACTS_EXPIRE_AFTER_DAYS, EXTRACTS_PREFIX } from '../../resources';
import { LOCAL_CREDENTIALS } from '../config';

/** How often the local stack looks for expired extracts. @default one hour */
export const EXTRACT_SWEEP_INTERVAL_MS = 3_600_000;

/**
 * The local stand-in for the CDK app's `expire-extracts` lifecycle rule: objects under `extracts/` of the results
 * bucket older than EXTRACTS_EXPIRE_AFTER_DAYS are deleted, at start and every EXTRACT_SWEEP_INTERVAL_MS, through
 * the stack's own S3 API (so deletions are S3 deletions, events and all).
 */
export class ExtractExpiry {
  private readonly s3: S3Client;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    endpoint: string,
    region: string,
    private readonly log: (message: string) => void,
    private readonly bucket: string = BUCKETS.results.localName,
  ) {
    this.s3 = new S3Client({ endpoint, region, credentials: { ...LOCAL_CREDENTIALS }, forcePathStyle: true });
  }

  start(): void {
    const sweep = () => {
      this.running ??= this.sweep(new Date())
        .catch((err) => {
          this.log(`s3: expiring extracts failed: ${(err as Error)?.message ?? String(err)}`);
          return 0;
        })
        .finally(() => {
          this.running = undefined;
        });
    };
    sweep();
    this.timer = setInterval(sweep, EXTRACT_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Deletes the expired extract objects as of `now`; resolves to how many. */
  async sweep(now: Date): Promise<number> {
    const cutoff = now.getTime() - EXTRACTS_EXPIRE_AFTER_DAYS * 86_400_000;
    let deleted = 0;
    let token: string | undefined;
    try {
      do {
        const page = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: EXTRACTS_PREFIX, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          if (object.LastModified && object.LastModified.getTime() < cutoff) {
            await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.Key! }));
            deleted += 1;
          }
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (err) {
      if (err instanceof NoSuchBucket) return deleted; // not bootstrapped yet
      throw err;
    }
    return deleted;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.s3.destroy();
  }
}
