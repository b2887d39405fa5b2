import type { RejectReasonCode } from '../schemas/rejectReasons';

/**
 * One line of a run's rejects file (`s3://<curated>/_rejects/<dataset>/run=<runId>/rejects.jsonl`): the original
 * record, where it was, and why it was refused. Nothing about a refused row is lost: `text` is the record as
 * UTF-8, and for INVALID_ENCODING (where `text` has U+FFFD replacements) `base64` holds its exact bytes.
 */
export interface RejectedRow {
  readonly source: string;
  readonly line: number;
  readonly reason: RejectReasonCode;
  readonly column?: string;
  readonly rule?: string;
  readonly message: string;
  readonly text: string;
  readonly base64?: string;
}
