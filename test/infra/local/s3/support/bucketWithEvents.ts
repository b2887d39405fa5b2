import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { LocalEvent, LocalEventPattern } from '../../../../../infra/local/events/LocalEventBus';
import { startTestStack, type TestStack } from '../../../../support/localStack';

/** A local stack with one bucket, an S3 client on it, and the events a test's S3 calls publish. */
export interface BucketWithEvents<TDetail> {
  /** Set in `beforeAll`. */
  readonly testStack: TestStack;
  /** Set in `beforeAll`. */
  readonly s3: S3Client;
  /** The events matching the pattern since the current test began. */
  readonly events: LocalEvent<TDetail>[];
}

/**
 * Registers the Jest hooks of a file testing S3 events: starts a local stack, creates `bucket`, subscribes to
 * `pattern`, empties `events` before each test, and stops everything after the file.
 */
export function bucketWithEvents<TDetail>(
  bucket: string,
  pattern: LocalEventPattern,
  client: S3ClientConfig = {},
): BucketWithEvents<TDetail> {
  const fixture = { events: [] as LocalEvent<TDetail>[] } as { testStack: TestStack; s3: S3Client } & {
    events: LocalEvent<TDetail>[];
  };
  beforeAll(async () => {
    fixture.testStack = await startTestStack();
    fixture.s3 = new S3Client({ ...fixture.testStack.clientConfig, ...client });
    fixture.testStack.stack.events.subscribe<TDetail>(pattern, (event) => {
      fixture.events.push(event);
    });
    await fixture.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    fixture.s3?.destroy();
    await fixture.testStack?.stop();
  });
  beforeEach(() => {
    fixture.events.length = 0;
  });
  return fixture;
}
