/**
 * An error answered in the wire shape of the AWS service that raised it, so that the SDK raises its real
 * exception class (`__type` for the JSON protocols, `<Code>` for S3's XML).
 */
export class AwsServiceError extends Error {
  constructor(
    /** The exception name the SDK maps to a class, e.g. `InvalidRequestException`. */
    readonly type: string,
    message: string,
    /** HTTP status. @default 400 */
    readonly status = 400,
    /** Extra members of the error shape, e.g. `{ AthenaErrorCode: 'INVALID_INPUT' }`. */
    readonly fields: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = type;
  }
}
