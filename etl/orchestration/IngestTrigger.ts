import { ConcurrentRunsExceededException, type GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import type { PendingRuns } from './PendingRunMarker';

/** The detail of an EventBridge `Object Created` event from S3. */
export interface S3ObjectCreatedDetail {
  readonly bucket: { readonly name: string };
  readonly object: { readonly key: string; readonly size?: number; readonly etag?: string };
  readonly reason?: string;
}

/** An EventBridge event as a rule target receives it (only the members the trigger reads). */
export interface EventBridgeEnvelope<TDetail> {
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: TDetail;
  readonly time?: string;
}

/** What one invocation did with its batch of events. */
export type TriggerOutcome =
  | { readonly action: 'ignored' }
  | { readonly action: 'started'; readonly jobRunId: string; readonly objects: number }
  | { readonly action: 'deferred'; readonly objects: number };

/**
 * Starts one transform run for a batch of raw objects that landed together. The run itself lists what is new
 * (by its bookmarks), so the events only say "something arrived"; one StartJobRun serves the whole batch.
 *
 * ```
 * events ─▶ raw-bucket objects? ─no─▶ ignored
 *                 │ yes
 *                 ▼
 *           StartJobRun ──ok──▶ started
 *                 │ ConcurrentRunsExceededException (a run is busy; it may have listed before these landed)
 *                 ▼
 *           pending marker in `runs` ─▶ deferred; the job-state handler starts a run when the busy one ends
 * ```
 */
export class IngestTrigger {
  constructor(
    private readonly deps: {
      readonly glue: GlueClient;
      readonly runs: PendingRuns;
      readonly rawBucket: string;
      readonly jobName: string;
      readonly now?: () => Date;
    },
  ) {}

  async handle(events: readonly EventBridgeEnvelope<S3ObjectCreatedDetail>[]): Promise<TriggerOutcome> {
    const keys = events
      .filter((e) => e.source === 'aws.s3' && e['detail-type'] === 'Object Created')
      .filter((e) => e.detail?.bucket?.name === this.deps.rawBucket)
      .map((e) => e.detail.object.key)
      .filter((key) => !key.endsWith('/'));
    if (keys.length === 0) return { action: 'ignored' };
    try {
      const { JobRunId } = await this.deps.glue.send(
        new StartJobRunCommand({
          JobName: this.deps.jobName,
          Arguments: { '--examlake-trigger': 'object-created', '--examlake-objects': String(keys.length) },
        }),
      );
      return { action: 'started', jobRunId: JobRunId!, objects: keys.length };
    } catch (err) {
      if (!(err instanceof ConcurrentRunsExceededException)) throw err;
      await this.deps.runs.markPending(this.deps.jobName, keys, (this.deps.now ?? (() => new Date()))());
      return { action: 'deferred', objects: keys.length };
    }
  }
}

/** The EventBridge events in what a Lambda receives: one event, or an SQS batch of them (batching window). */
export function eventsOf(input: unknown): EventBridgeEnvelope<S3ObjectCreatedDetail>[] {
  if (Array.isArray(input)) return input.flatMap(eventsOf);
  if (input && typeof input === 'object' && 'Records' in input && Array.isArray(input.Records)) {
    return input.Records.flatMap((r: { body?: string }) => (r.body ? eventsOf(JSON.parse(r.body)) : []));
  }
  if (input && typeof input === 'object' && 'detail-type' in input) {
    return [input as EventBridgeEnvelope<S3ObjectCreatedDetail>];
  }
  return [];
}
