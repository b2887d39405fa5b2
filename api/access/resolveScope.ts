import type { GrantSource } from './CachedGrantSource';
import type { Caller } from './Caller';
import { type Scope, scopeFor } from './Scope';

/** Turns an authenticated caller into their scope, reading a partner's grant first. */
export type ScopeResolver = (caller: Caller) => Promise<Scope>;

/** The scope resolver of the API: partners' grants come from `grants` (through the cache); other roles need none. */
export function scopeResolver(grants: GrantSource): ScopeResolver {
  return async (caller) => {
    if (caller.role !== 'partner' || caller.partnerId === undefined) return scopeFor(caller);
    return scopeFor(caller, await grants.get(caller.partnerId));
  };
}
