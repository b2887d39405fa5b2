/**
 * The API's typed errors. Each carries its HTTP `status`, a stable `code` (the enum of `Problem.code` in
 * `openapi.yaml`) and a message that says what to do; the one mapper (`http/problemResponse.ts`) turns them
 * into RFC 9457 problem bodies. Anything else thrown is logged with its cause and answered as a bare 500.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  UNAUTHORIZED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Not allowed for this role' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  PRECONDITION_REQUIRED: { status: 428, title: 'Precondition required' },
  SQL_NOT_ALLOWED: { status: 400, title: 'SQL not allowed' },
  QUERY_FAILED: { status: 422, title: 'Query failed' },
  SCAN_LIMIT_EXCEEDED: { status: 422, title: 'Bytes-scanned limit exceeded' },
  THROTTLED: { status: 429, title: 'Too many requests' },
  DATASET_NOT_LOADED: { status: 503, title: 'Dataset not loaded' },
  QUERY_UNAVAILABLE: { status: 503, title: 'Query engine unavailable' },
  NOT_IMPLEMENTED: { status: 501, title: 'Not implemented yet' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** One invalid input, as listed in a problem's `errors`. */
export interface FieldError {
  readonly in: 'path' | 'query' | 'header' | 'body';
  readonly name: string;
  readonly message: string;
}

/** Base of every error the API answers with deliberately. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: {
      cause?: unknown;
      errors?: readonly FieldError[];
      retryAfterSeconds?: number;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = ERROR_CODES[code].status;
    this.title = ERROR_CODES[code].title;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers ?? {};
  }

  readonly errors: readonly FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

export class ValidationError extends ApiError {
  constructor(errors: readonly FieldError[], cause?: unknown) {
    super(
      'VALIDATION_FAILED',
      `${errors.map((e) => `${e.in} ${e.in === 'body' ? 'field' : 'parameter'} ${e.name} ${withoutFinalStop(e.message)}`).join('; ')}.`,
      {
        errors,
        cause,
      },
    );
  }
}

/** More than one `Authorization` header: which one an authorizer checked and which one the handler reads may differ. */
export class DuplicateAuthorizationError extends ValidationError {
  constructor(count: number) {
    super([{ in: 'header', name: 'Authorization', message: `is given ${count} times; send exactly one` }]);
  }
}

export class UnauthenticatedError extends ApiError {
  constructor(
    message = 'This operation needs a bearer token: send Authorization: Bearer <id token>.',
    cause?: unknown,
  ) {
    super('UNAUTHORIZED', message, { cause, headers: { 'WWW-Authenticate': 'Bearer realm="examlake"' } });
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/**
 * A request naming ids outside the caller's scope (a school administrator's `schoolId` of another school):
 * 403, the problem's `errors` naming each out-of-scope id, refused before any query runs.
 */
export class OutOfScopeError extends ApiError {
  constructor(
    parameter: string,
    readonly outOfScope: readonly string[],
    inScope: readonly string[],
  ) {
    super(
      'FORBIDDEN',
      `${outOfScope.join(', ')} ${outOfScope.length === 1 ? 'is' : 'are'} outside your scope; your token lists ${inScope.join(', ') || 'none'}.`,
      {
        errors: outOfScope.map((id) => ({
          in: 'query' as const,
          name: parameter,
          message: `names ${id}, which is outside your scope`,
        })),
      },
    );
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class MethodNotAllowedError extends ApiError {
  constructor(method: string, path: string, allowed: readonly string[]) {
    super('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allowed.join(', ')}.`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
}

export class NotAcceptableError extends ApiError {
  constructor(accept: string) {
    super(
      'NOT_ACCEPTABLE',
      `Cannot answer in any of '${accept}'; this resource is available as application/json and text/csv.`,
    );
  }
}

/** A conditional write whose `If-Match` no longer matches (someone changed the resource meanwhile). */
export class PreconditionFailedError extends ApiError {
  constructor(message: string) {
    super('PRECONDITION_FAILED', message);
  }
}

/** A write to an existing resource without `If-Match`. */
export class PreconditionRequiredError extends ApiError {
  constructor(message: string) {
    super('PRECONDITION_REQUIRED', message);
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  constructor(contentType: string | undefined) {
    super(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the body as application/json (got ${contentType ? `'${contentType}'` : 'no Content-Type'}).`,
    );
  }
}

export class SqlNotAllowedError extends ApiError {
  constructor(message: string, cause?: unknown) {
    super('SQL_NOT_ALLOWED', message, { cause, errors: [{ in: 'body', name: '/sql', message }] });
  }
}

export class QueryFailedError extends ApiError {
  constructor(message: string, retryAfterSeconds?: number) {
    super('QUERY_FAILED', message, { retryAfterSeconds });
  }
}

export class ScanLimitExceededError extends ApiError {
  constructor(message: string, retryAfterSeconds?: number) {
    super('SCAN_LIMIT_EXCEEDED', message, { retryAfterSeconds });
  }
}

export class ThrottledError extends ApiError {
  constructor(message: string, retryAfterSeconds: number, cause?: unknown) {
    super('THROTTLED', message, { cause, retryAfterSeconds });
  }
}

export class DatasetNotLoadedError extends ApiError {
  constructor(table: string, cause?: unknown) {
    super(
      'DATASET_NOT_LOADED',
      `Table ${table} does not exist yet: load data first (npx examlake ingest, or npm start).`,
      {
        cause,
        retryAfterSeconds: 60,
      },
    );
  }
}

export class QueryUnavailableError extends ApiError {
  constructor(message: string, retryAfterSeconds: number, cause?: unknown) {
    super('QUERY_UNAVAILABLE', message, { cause, retryAfterSeconds });
  }
}

export class NotImplementedError extends ApiError {
  constructor(operationId: string, issue: string) {
    super('NOT_IMPLEMENTED', `${operationId} is declared in the contract but not implemented yet (${issue}).`);
  }
}

/** A message without its final full stop, to end a sentence that continues (never `..`). */
export function withoutFinalStop(message: string): string {
  return message.replace(/\.+\s*$/, '');
}
