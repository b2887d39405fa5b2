import type { GrantSource } from '../../../api/access/CachedGrantSource';
import type { Grant } from '../../../api/access/Grant';
import { scopeResolver } from '../../../api/access/resolveScope';
import { caller, grant } from './callers';

/** A grant source whose current grant the test replaces (as a re-read after a change would). */
class SwitchableGrants implements GrantSource {
  constructor(public current: Grant | undefined) {}
  async get(): Promise<Grant | undefined> {
    return this.current;
  }
}

const FLOOR = { minimumCellSizeFloor: 10 };

describe('scopeResolver', () => {
  it('enforces the floor on a stored grant below it or without a whole-number minimum', async () => {
    const grants = new SwitchableGrants(grant({ minimumCellSize: 1, version: 1 }));
    const resolve = scopeResolver(grants, FLOOR);
    const partner = caller('partner', { partnerId: 'acme' });
    expect((await resolve(partner)).minimumCellSize).toBe(10);
    grants.current = grant({ minimumCellSize: Number.NaN, version: 2 });
    expect((await resolve(partner)).minimumCellSize).toBe(10);
    grants.current = grant({ minimumCellSize: 25, version: 3 });
    expect((await resolve(partner)).minimumCellSize).toBe(25);
  });

  it('builds one scope per caller object and reuses it', async () => {
    const resolve = scopeResolver(new SwitchableGrants(undefined), FLOOR);
    const analyst = caller('analyst');
    const scope = await resolve(analyst);
    expect(await resolve(analyst)).toBe(scope);
    const other = await resolve(caller('analyst'));
    expect(other).not.toBe(scope);
    expect(other.fingerprint).toBe(scope.fingerprint);
  });

  it('rebuilds a partner scope as soon as the grant changes or is revoked', async () => {
    const grants = new SwitchableGrants(grant({ rowFilters: { regions: ['north'] }, version: 1 }));
    const resolve = scopeResolver(grants, FLOOR);
    const partner = caller('partner', { partnerId: 'acme' });
    const first = await resolve(partner);
    expect(first.rows).toMatchObject({ kind: 'filter' });
    grants.current = grant({ rowFilters: { regions: ['south'] }, version: 2 });
    const narrowed = await resolve(partner);
    expect(narrowed.fingerprint).not.toBe(first.fingerprint);
    expect(narrowed.rows).toEqual({ kind: 'filter', allOf: [[{ column: 'region', values: ['south'] }]] });
    grants.current = undefined;
    expect((await resolve(partner)).rows).toMatchObject({ kind: 'none' });
  });
});
