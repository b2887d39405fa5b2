import type { GrantSource } from './CachedGrantSource';
import type { Caller } from './Caller';
import type { Grant } from './Grant';
import { type Scope, type ScopeOptions, scopeFor } from './Scope';

/** Turns an authenticated caller into their scope, reading a partner's grant first. */
export type ScopeResolver = (caller: Caller) => Promise<Scope>;

/**
 * The scope resolver of the API: partners' grants come from `grants` (through the cache); other roles need none.
 * A grant's minimum cell size is raised to `options.minimumCellSizeFloor` here, when it is read, whatever was
 * stored (the grant API refuses one below it when it is written).
 *
 * A scope is a pure function of the caller and the grant, so it is built once per `Caller` object (the
 * authenticator hands out one per cached token) and rebuilt whenever the grant object differs: a grant the
 * cache re-read, changed or revoked gives a new scope at once.
 */
export function scopeResolver(grants: GrantSource, options: ScopeOptions): ScopeResolver {
  const built = new WeakMap<Caller, { grant: Grant | undefined; scope: Scope }>();
  const cached = (caller: Caller, grant: Grant | undefined) => {
    const known = built.get(caller);
    if (known && known.grant === grant) return known.scope;
    const scope = scopeFor(caller, grant, options);
    built.set(caller, { grant, scope });
    return scope;
  };
  return async (caller) => {
    if (caller.role !== 'partner' || caller.partnerId === undefined) return cached(caller, undefined);
    return cached(caller, await grants.get(caller.partnerId));
  };
}
