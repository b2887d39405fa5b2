import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RUN_KEYS } from './runRecords';

/** What the ingest trigger writes to the `runs` table: a deferred request for a run. */
export interface PendingRuns {
  /** Notes raw objects that arrived while a run was busy, so the run's end starts another. */
  markPending(jobName: string, keys: readonly string[], now: Date): Promise<void>;
}

/**
 * The deferred-request item of the `runs` table (`trigger#<job>` / `pending`), written with one UpdateItem. A
 * module of its own, so the ingest trigger's bundle holds only the call it makes (and its role only that action:
 * `test/infra/aws/iamMatchesCode.test.ts`).
 */
export class PendingRunMarker implements PendingRuns {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async markPending(jobName: string, keys: readonly string[], now: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: RUN_KEYS.pendingPk(jobName), sk: RUN_KEYS.pendingSk },
        UpdateExpression: 'SET requestedAt = if_not_exists(requestedAt, :now), objects = :count',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':count': keys.length },
      }),
    );
  }
}
