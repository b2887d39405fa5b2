import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type FinalState, FinalStateStore, type RunEnds } from './FinalStateStore';
import { type Bookmark, RUN_KEYS, type RunSummary } from './runRecords';

const BATCH_SIZE = 25;
const MAX_BATCH_RETRIES = 8;

/**
 * The `runs` table through the DynamoDB API: bookmarks, run summaries, deferred trigger requests. The two
 * handlers use the narrower `PendingRunMarker` and `FinalStateStore` (their roles hold only what those call);
 * this class serves the local job, the CLI and tests, and hands the handlers' writes to the same code.
 */
export class RunsStore implements RunEnds {
  private readonly doc: DynamoDBDocumentClient;
  private readonly ends: FinalStateStore;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.ends = new FinalStateStore(client, tableName);
  }

  /** Every bookmark of a raw bucket, by object key. */
  async bookmarks(rawBucket: string): Promise<Map<string, Bookmark>> {
    const out = new Map<string, Bookmark>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': RUN_KEYS.bookmarkPk(rawBucket) },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) out.set(item.sk as string, toBookmark(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** One object's bookmark, or undefined when it has not been processed. */
  async bookmark(rawBucket: string, key: string): Promise<Bookmark | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: RUN_KEYS.bookmarkPk(rawBucket), sk: key },
        ConsistentRead: true,
      }),
    );
    return Item ? toBookmark(Item) : undefined;
  }

  /** Records processed objects (batches of 25, unprocessed items retried with back-off). */
  async putBookmarks(rawBucket: string, bookmarks: readonly Bookmark[]): Promise<void> {
    for (let i = 0; i < bookmarks.length; i += BATCH_SIZE) {
      let requests = bookmarks.slice(i, i + BATCH_SIZE).map((b) => ({
        PutRequest: { Item: { pk: RUN_KEYS.bookmarkPk(rawBucket), sk: b.key, ...b } },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > MAX_BATCH_RETRIES) throw new Error(`Could not write ${requests.length} bookmarks.`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 10));
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  /** Writes a run's whole summary (the job, when it commits or fails). */
  async putRunSummary(summary: RunSummary): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: RUN_KEYS.runPk(summary.runId), sk: RUN_KEYS.summarySk, ...summary },
      }),
    );
  }

  async runSummary(runId: string): Promise<RunSummary | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: RUN_KEYS.runPk(runId), sk: RUN_KEYS.summarySk },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...summary } = Item;
    return summary as RunSummary;
  }

  /** Records a run's final state (the job-state handler), keeping whatever counts the job wrote. */
  recordFinalState(runId: string, final: FinalState): Promise<void> {
    return this.ends.recordFinalState(runId, final);
  }

  /** Notes raw objects that arrived while a run was busy, so the run's end starts another. */
  markPending(jobName: string, keys: readonly string[], now: Date): Promise<void> {
    return this.ends.markPending(jobName, keys, now);
  }

  /** Removes and reports the deferred request, if any (atomically: one caller gets it). */
  takePending(jobName: string): Promise<{ requestedAt: string } | undefined> {
    return this.ends.takePending(jobName);
  }
}

function toBookmark(item: Record<string, unknown>): Bookmark {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as Bookmark;
}
