/** Prefix of DynamoDB's error types on the wire; the SDK raises the class named after `#`. */
const DYNAMODB_ERROR_PREFIX = 'com.amazonaws.dynamodb.v20120810#';

/**
 * An error answered in DynamoDB's JSON 1.0 shape (`{ "__type": "com.amazonaws.dynamodb.v20120810#X",
 * "message": ... }`), the same shape dynalite's own errors carry (`statusCode`, `body`).
 */
export class DynamoDBError extends Error {
  readonly statusCode: number;
  readonly body: { __type: string; message: string; [member: string]: unknown };

  constructor(type: string, message: string, statusCode = 400, members: Record<string, unknown> = {}) {
    super(message);
    this.name = type;
    this.statusCode = statusCode;
    const qualified =
      type === 'ValidationException' ? `com.amazon.coral.validate#${type}` : DYNAMODB_ERROR_PREFIX + type;
    this.body = { __type: qualified, message, ...members };
  }
}

export const validationError = (message: string) => new DynamoDBError('ValidationException', message);

export const tableNotFound = (tableName: string) =>
  new DynamoDBError('ResourceNotFoundException', `Requested resource not found: Table: ${tableName} not found`);

/** Whether an error carries a DynamoDB error body (dynalite's or ours) to answer as it is. */
export function isAnswerable(err: unknown): err is { statusCode: number; body: { __type: string } } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { statusCode?: unknown }).statusCode === 'number' &&
    typeof (err as { body?: { __type?: unknown } }).body?.__type === 'string'
  );
}
