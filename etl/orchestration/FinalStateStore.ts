import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PendingRunMarker, type PendingRuns } from './PendingRunMarker';
import { RUN_KEYS, type RunState } from './runRecords';

/** A run's final state as Glue reports it. */
export interface FinalState {
  readonly jobName: string;
  readonly state: RunState;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly message?: string;
}

/** What the job-state handler reads and writes in the `runs` table. */
export interface RunEnds extends PendingRuns {
  /** Records a run's final state, keeping whatever counts the job wrote. */
  recordFinalState(runId: string, final: FinalState): Promise<void>;
  /** Removes and reports the deferred request, if any (atomically: one caller gets it). */
  takePending(jobName: string): Promise<{ requestedAt: string } | undefined>;
}

/**
 * The job-state handler's items of the `runs` table: UpdateItem on the run summary and the deferred request,
 * DeleteItem to take that request. A module of its own, so the handler's bundle and role hold these two actions
 * and no more.
 */
export class FinalStateStore implements RunEnds {
  private readonly doc: DynamoDBDocumentClient;
  private readonly pending: PendingRunMarker;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.pending = new PendingRunMarker(client, tableName);
  }

  async recordFinalState(runId: string, final: FinalState): Promise<void> {
    const values: Record<string, unknown> = {
      ':runId': runId,
      ':jobName': final.jobName,
      ':state': final.state,
      ':startedAt': final.startedAt,
      ':finishedAt': final.finishedAt,
      ':durationMs': final.durationMs,
    };
    let expression =
      'SET runId = :runId, jobName = :jobName, #state = :state, startedAt = if_not_exists(startedAt, :startedAt), ' +
      'finishedAt = :finishedAt, durationMs = :durationMs';
    if (final.message) {
      expression += ', message = :message';
      values[':message'] = final.message;
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: RUN_KEYS.runPk(runId), sk: RUN_KEYS.summarySk },
        UpdateExpression: expression,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async takePending(jobName: string): Promise<{ requestedAt: string } | undefined> {
    const { Attributes } = await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: RUN_KEYS.pendingPk(jobName), sk: RUN_KEYS.pendingSk },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ? { requestedAt: String(Attributes.requestedAt) } : undefined;
  }

  markPending(jobName: string, keys: readonly string[], now: Date): Promise<void> {
    return this.pending.markPending(jobName, keys, now);
  }
}
