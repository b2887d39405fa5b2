import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson';

/** Bumped whenever the meaning of a cached entry changes, so old entries are never read by new code. */
export const CACHE_FORMAT_VERSION = 1;

/** Everything that decides a query's answer; nothing else goes into the key. */
export interface CacheKeyInputs {
  readonly workGroup: string;
  /** The final SQL, after the scope was applied. */
  readonly sql: string;
  /** The execution parameters, in order, as SQL literals. */
  readonly parameters: readonly string[];
  readonly scopeFingerprint: string;
  /** Data version of every table the query reads, by `database.table`. */
  readonly dataVersions: Readonly<Record<string, string>>;
}

/**
 * The cache key: SHA-256 (hex) of the canonical JSON (sorted keys) of the format version, workgroup, final
 * SQL, parameter values, scope fingerprint and data versions. New data gives new keys, so nothing is ever
 * invalidated explicitly and nothing stale is served.
 */
export function cacheKey(inputs: CacheKeyInputs): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        v: CACHE_FORMAT_VERSION,
        workGroup: inputs.workGroup,
        sql: inputs.sql,
        parameters: inputs.parameters,
        scope: inputs.scopeFingerprint,
        dataVersions: inputs.dataVersions,
      }),
    )
    .digest('hex');
}
