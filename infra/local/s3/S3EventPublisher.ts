import type { S3ObjectCreatedDetail } from '../../../etl/orchestration/IngestTrigger';
import type { LocalEventBus } from '../events/LocalEventBus';
import type { StoredObject } from './S3ObjectFiles';

/** Why an object was created, as EventBridge's `Object Created` detail reports it. */
export const OBJECT_CREATED_REASONS = ['PutObject', 'CompleteMultipartUpload', 'CopyObject'] as const;
export type ObjectCreatedReason = (typeof OBJECT_CREATED_REASONS)[number];

/** Request facts every S3 event carries. */
export interface S3EventRequest {
  readonly requestId: string;
  readonly sourceIp: string;
}

/**
 * The whole detail of EventBridge's `Object Created` event from S3, as the local S3 emits it; the ETL reads the part
 * it needs ({@link S3ObjectCreatedDetail}).
 */
export interface EmittedS3ObjectCreatedDetail extends S3ObjectCreatedDetail {
  readonly version: '0';
  readonly bucket: { readonly name: string };
  readonly object: { readonly key: string; readonly size: number; readonly etag: string; readonly sequencer: string };
  readonly 'request-id': string;
  readonly requester: string;
  readonly 'source-ip-address': string;
  readonly reason: ObjectCreatedReason;
}

/** The detail of EventBridge's `Object Deleted` event from S3 (a bucket without versioning). */
export interface S3ObjectDeletedDetail {
  readonly version: '0';
  readonly bucket: { readonly name: string };
  readonly object: { readonly key: string; readonly sequencer: string };
  readonly 'request-id': string;
  readonly requester: string;
  readonly 'source-ip-address': string;
  readonly reason: 'DeleteObject';
  readonly 'deletion-type': 'Permanently Deleted';
}

/**
 * Publishes S3's EventBridge events (source `aws.s3`) on the stack's bus after a change is stored, as a bucket
 * with EventBridge notifications enabled does on AWS. Subscribe with
 * `events.subscribe({ source: ['aws.s3'], detailType: ['Object Created'] }, handler)`.
 */
export class S3EventPublisher {
  private lastSequence = 0n;

  constructor(
    private readonly events: LocalEventBus,
    private readonly accountId: string,
  ) {}

  created(object: StoredObject, reason: ObjectCreatedReason, request: S3EventRequest): void {
    const detail: EmittedS3ObjectCreatedDetail = {
      version: '0',
      bucket: { name: object.bucket },
      object: { key: object.key, size: object.size, etag: object.etag, sequencer: this.sequencer() },
      'request-id': request.requestId,
      requester: this.accountId,
      'source-ip-address': request.sourceIp,
      reason,
    };
    this.events.publish('aws.s3', 'Object Created', detail, [`arn:aws:s3:::${object.bucket}`]);
  }

  deleted(bucket: string, key: string, request: S3EventRequest): void {
    const detail: S3ObjectDeletedDetail = {
      version: '0',
      bucket: { name: bucket },
      object: { key, sequencer: this.sequencer() },
      'request-id': request.requestId,
      requester: this.accountId,
      'source-ip-address': request.sourceIp,
      reason: 'DeleteObject',
      'deletion-type': 'Permanently Deleted',
    };
    this.events.publish('aws.s3', 'Object Deleted', detail, [`arn:aws:s3:::${bucket}`]);
  }

  /** Increasing hexadecimal sequencer: later changes of a key compare greater, as S3's do. */
  private sequencer(): string {
    const now = BigInt(Date.now()) * 1000n;
    this.lastSequence = now > this.lastSequence ? now : this.lastSequence + 1n;
    return this.lastSequence.toString(16).toUpperCase().padStart(16, '0');
  }
}
