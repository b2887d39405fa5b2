import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonicalJson';
import type { Role } from '../http/openapiDocument';
import type { Caller } from './Caller';

/**
 * What a caller may see: THE seam of access control. Every data access (reports, ad-hoc SQL, handles, page
 * tokens, datasets) receives a Scope and nothing else about the caller; `applyScope` is the one place that
 * turns it into SQL predicates and parameters.
 *
 * Today (issue 4) it distinguishes analysts (all rows) from everyone else; the access issue (5) fills in row
 * predicates for school administrators and partners, column allow-lists and partner grants, here and in
 * `applyScope.ts`, without touching the callers.
 */
export interface Scope {
  readonly role: Role;
  readonly caller: Caller;
  /** Rows the caller may read: `all`, or the school and district ids they hold. */
  readonly rows:
    | { readonly kind: 'all' }
    | { readonly kind: 'schools'; readonly schoolIds: readonly string[]; readonly districtIds: readonly string[] };
  /**
   * SHA-256 (hex) of the canonical JSON of what the scope lets its holder see. Callers who may see exactly
   * the same rows share it, and so share cache entries; it is part of every cache key, handle and page token.
   */
  readonly fingerprint: string;
}

/** Builds the caller's scope. The only function that decides what a role may see. */
export function scopeFor(caller: Caller): Scope {
  const rows: Scope['rows'] =
    caller.role === 'analyst'
      ? { kind: 'all' }
      : { kind: 'schools', schoolIds: [...caller.schoolIds].sort(), districtIds: [...caller.districtIds].sort() };
  const visible = { role: caller.role, rows, partnerId: caller.role === 'partner' ? (caller.partnerId ?? null) : null };
  const fingerprint = createHash('sha256').update(canonicalJson(visible)).digest('hex');
  return Object.freeze({ role: caller.role, caller, rows, fingerprint });
}
