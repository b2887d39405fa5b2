import type { LocalEventBus } from '../events/LocalEventBus';
import type { S3ObjectFiles, StoredObject } from '../s3/S3ObjectFiles';

/**
 * Listings of the S3 store kept between queries, dropped for a bucket whenever the S3 service reports an object
 * created or deleted in it (its `aws.s3` events, which the bus hands to this cache before the writer's request
 * is answered). A listing that was in flight while its bucket changed is not kept. So a query never sees a
 * listing older than the last completed write, and an unchanged table costs no filesystem walk per query.
 */
export class CachedObjectFiles implements S3ObjectFiles {
  private readonly listings = new Map<string, Promise<StoredObject[]>>();
  private readonly generations = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly objects: S3ObjectFiles,
    events: LocalEventBus,
  ) {
    this.unsubscribe = events.subscribe<{ bucket?: { name?: string } }>(
      { source: ['aws.s3'], detailType: ['Object Created', 'Object Deleted'] },
      (event) => this.invalidate(event.detail.bucket?.name ?? ''),
    );
  }

  list(bucket: string, prefix: string): Promise<StoredObject[]> {
    const id = `${bucket}\u0000${prefix}`;
    const cached = this.listings.get(id);
    if (cached) return cached;
    const generation = this.generations.get(bucket) ?? 0;
    const listing = this.objects.list(bucket, prefix);
    this.listings.set(id, listing);
    listing.then(
      () => {
        if ((this.generations.get(bucket) ?? 0) !== generation) this.listings.delete(id);
      },
      () => this.listings.delete(id),
    );
    return listing;
  }

  stat(bucket: string, key: string): Promise<StoredObject | undefined> {
    return this.objects.stat(bucket, key);
  }

  /** Forgets every listing of `bucket` (any bucket when empty). */
  invalidate(bucket: string): void {
    this.generations.set(bucket, (this.generations.get(bucket) ?? 0) + 1);
    for (const id of this.listings.keys()) {
      if (bucket === '' || id.startsWith(`${bucket}\u0000`)) this.listings.delete(id);
    }
  }

  close(): void {
    this.unsubscribe();
  }
}
