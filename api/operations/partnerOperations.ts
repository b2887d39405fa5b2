import type { CachedGrantSource } from '../access/CachedGrantSource';
import type { Grant, GrantInput } from '../access/Grant';
import { validateGrant } from '../access/validateGrant';
import { NotFoundError, PreconditionFailedError, PreconditionRequiredError } from '../errors';
import { type ApiRequest, type ApiResponse, jsonResponse } from '../http/ApiRequest';
import { GrantConflictError, type GrantStore } from '../ports/GrantStore';
import type { OperationHandler } from '../router';

export interface PartnerOperationsOptions {
  readonly grants: GrantStore;
  /** This instance's grant cache, evicted on every change made through it. */
  readonly cache?: CachedGrantSource;
  /** The deployment's minimum cell size: the floor of every grant's. */
  readonly minimumCellSize: number;
  /** The largest row cap a grant may set (`EXAMLAKE_EXTRACT_MAX_ROWS`). */
  readonly maxExtractRows: number;
}

/**
 * `GET/PUT/DELETE /v1/partners/{partnerId}/grant` (stewards only, by `x-examlake-roles`). The body has been
 * validated against `GrantInput` (unknown fields are 400); `validateGrant` adds the semantic checks. Writes
 * are conditional on the version in `If-Match` (the grant's `ETag`): a stale version is 412, replacing a grant
 * without `If-Match` is 428, so two stewards never overwrite each other unknowingly.
 */
export function partnerOperations(options: PartnerOperationsOptions): Record<string, OperationHandler> {
  const { grants, cache } = options;
  return {
    async getPartnerGrant(request) {
      const partnerId = request.pathParams['partnerId']!;
      const grant = await grants.get(partnerId);
      if (!grant) throw new NotFoundError(`Partner ${partnerId} has no grant; PUT one to create it.`);
      return grantResponse(200, grant, 'grant-read');
    },

    async putPartnerGrant(request) {
      const partnerId = request.pathParams['partnerId']!;
      const input = request.body as GrantInput;
      validateGrant(input, { minimumCellSize: options.minimumCellSize, maxExtractRows: options.maxExtractRows });
      const expected = ifMatch(request);
      try {
        const grant = await grants.put(partnerId, normalise(input), expected, request.scope.caller.subject);
        cache?.evict(partnerId);
        return grantResponse(200, grant, grant.version === 1 ? 'grant-created' : `grant-replaced v${grant.version}`);
      } catch (err) {
        if (!(err instanceof GrantConflictError)) throw err;
        if (expected === undefined && err.current) {
          throw new PreconditionRequiredError(
            `Partner ${partnerId} already has a grant (version ${err.current.version}): send If-Match: "${err.current.version}" to replace it.`,
          );
        }
        throw conflict(partnerId, err);
      }
    },

    async deletePartnerGrant(request) {
      const partnerId = request.pathParams['partnerId']!;
      const expected = ifMatch(request);
      if (expected === '*' && !(await grants.get(partnerId))) {
        throw new NotFoundError(`Partner ${partnerId} has no grant.`);
      }
      try {
        const deleted = await grants.delete(partnerId, expected === '*' ? undefined : expected);
        cache?.evict(partnerId);
        if (!deleted) throw new NotFoundError(`Partner ${partnerId} has no grant.`);
        return {
          status: 204,
          headers: { 'Cache-Control': 'no-store' },
          body: '',
          audit: { resource: partnerId, reason: `grant-revoked v${deleted.version}` },
        };
      } catch (err) {
        if (err instanceof GrantConflictError) throw conflict(partnerId, err);
        throw err;
      }
    },
  };
}

function grantResponse(status: number, grant: Grant, reason: string): ApiResponse {
  return {
    ...jsonResponse(status, grant, { ETag: `"${grant.version}"`, 'Cache-Control': 'no-store' }),
    audit: { resource: grant.partnerId, reason },
  };
}

/**
 * `If-Match: "3"` → 3, `*` → '*', absent → undefined (the schema has checked the shape). A weak tag (`W/"3"`)
 * is 412: `If-Match` uses the strong comparison (RFC 9110 §13.1.1), under which a weak tag matches nothing.
 */
function ifMatch(request: ApiRequest): number | '*' | undefined {
  const raw = request.headers['if-match']?.trim();
  if (!raw) return undefined;
  if (raw === '*') return '*';
  const tag = /^"(\d+)"$/.exec(raw);
  if (!tag) {
    throw new PreconditionFailedError(
      `If-Match ${raw} is a weak entity tag, which never matches a grant (strong comparison): send the ETag as read, e.g. If-Match: ${raw.replace(/^W\//, '')}.`,
    );
  }
  return Number(tag[1]);
}

function conflict(partnerId: string, err: GrantConflictError): PreconditionFailedError {
  return new PreconditionFailedError(
    err.current
      ? `The grant of ${partnerId} changed meanwhile (now version ${err.current.version}): read it again, then retry with If-Match: "${err.current.version}".`
      : `Partner ${partnerId} has no grant any more: PUT without If-Match to create one.`,
  );
}

/** Sorted, de-duplicated lists: equal grants store equal items. */
function normalise(input: GrantInput): GrantInput {
  const sorted = (values: readonly string[] | undefined) => (values ? [...new Set(values)].sort() : undefined);
  const filters = input.rowFilters
    ? Object.fromEntries(
        Object.entries(input.rowFilters)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, sorted(v as string[])]),
      )
    : undefined;
  return {
    datasets: sorted(input.datasets)!,
    columns: sorted(input.columns)!,
    ...(filters ? { rowFilters: filters } : {}),
    minimumCellSize: input.minimumCellSize,
    level: input.level ?? 'aggregates',
    ...(input.rowAccess ? { rowAccess: { ...input.rowAccess } } : {}),
  };
}
