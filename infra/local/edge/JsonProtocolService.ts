import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsServiceError } from './AwsServiceError';
import type { LocalService, ServiceName } from './LocalService';
import { readBody } from './readBody';

/** Input of one action: the parsed JSON request body. */
export type ActionInput = Record<string, unknown>;
export type ActionHandler = (input: ActionInput) => Promise<unknown>;

/**
 * Base of the services spoken over the AWS JSON 1.1 protocol (Glue, Athena): `POST /` with
 * `X-Amz-Target: <prefix>.<Action>`, a JSON body, and errors as `{ "__type": ..., "Message": ... }`.
 *
 * Subclasses declare their actions; this class owns parsing, dispatch and the error shape, so that a bad
 * request never reaches an action and an action's failure never crashes the stack.
 */
export abstract class JsonProtocolService implements LocalService {
  abstract readonly name: ServiceName;
  /** Target prefix, e.g. `AmazonAthena`. */
  protected abstract readonly targetPrefix: string;
  /** Exception type used for malformed input, e.g. `InvalidRequestException` (Athena) or `InvalidInputException` (Glue). */
  protected abstract readonly invalidInputType: string;
  protected abstract readonly actions: Readonly<Record<string, ActionHandler>>;

  constructor(private readonly onUnexpectedError: (err: unknown) => void = (err) => console.error(err)) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const result = await this.dispatch(req);
      send(res, 200, requestId, result ?? {});
    } catch (err) {
      if (err instanceof AwsServiceError) {
        send(res, err.status, requestId, { __type: err.type, Message: err.message, ...err.fields }, err.type);
      } else {
        this.onUnexpectedError(err);
        const message = err instanceof Error ? err.message : String(err);
        send(res, 500, requestId, { __type: 'InternalServerException', Message: message }, 'InternalServerException');
      }
    }
  }

  abstract close(): Promise<void>;

  private async dispatch(req: IncomingMessage): Promise<unknown> {
    if (req.method !== 'POST') {
      throw new AwsServiceError('UnknownOperationException', `${this.targetPrefix} accepts POST requests only.`);
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, action] = target.split('.', 2);
    const handler = prefix === this.targetPrefix && action ? this.actions[action] : undefined;
    if (!handler || !Object.hasOwn(this.actions, action ?? '')) {
      throw new AwsServiceError('UnknownOperationException', `Unknown operation ${target}.`);
    }
    const body = await readBody(req);
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new AwsServiceError('SerializationException', 'Request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new AwsServiceError('SerializationException', 'Request body must be a JSON object.');
    }
    return handler(input as ActionInput);
  }
}

function send(res: ServerResponse, status: number, requestId: string, body: unknown, errorType?: string): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': payload.length,
    'x-amzn-requestid': requestId,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(payload);
}
