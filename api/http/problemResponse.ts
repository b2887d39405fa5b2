import { ApiError, type ErrorCode } from '../errors';
import type { ApiResponse } from './ApiRequest';

/**
 * Base of the `type` URIs of problem bodies; each code has its own section in docs/api.md. Declared here only:
 * the local gateway's 401 and every example in `openapi.yaml` use it (a test keeps the contract in step).
 */
export const PROBLEM_TYPE_BASE = 'https://github.com/examlake/examlake/blob/main/docs/api.md#';

/** The `type` URI of a problem code: `VALIDATION_FAILED` → `…/docs/api.md#validation-failed`. */
export function problemType(code: ErrorCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll('_', '-');
}

/**
 * The one error mapper: a typed {@link ApiError} becomes an RFC 9457 problem body with its status, code,
 * detail and field errors; anything else becomes a 500 problem carrying only the request id (the cause is
 * logged by the caller, never sent).
 */
export function problemResponse(err: unknown, instance: string, requestId: string): ApiResponse {
  const known = err instanceof ApiError ? err : undefined;
  const status = known?.status ?? 500;
  const code = known?.code ?? 'INTERNAL';
  const body = {
    type: problemType(code),
    title: known?.title ?? 'Internal error',
    status,
    code,
    detail: known?.message ?? `The request failed unexpectedly; quote request id ${requestId} when reporting it.`,
    instance,
    requestId,
    ...(known?.errors ? { errors: known.errors } : {}),
  };
  const headers: Record<string, string> = {
    'Content-Type': 'application/problem+json',
    'Cache-Control': 'no-store',
    ...known?.headers,
  };
  if (known?.retryAfterSeconds !== undefined) headers['Retry-After'] = String(known.retryAfterSeconds);
  return { status, headers, body: JSON.stringify(body) };
}
