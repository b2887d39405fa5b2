import { CachedGrantSource } from '../../../api/access/CachedGrantSource';
import type { Grant } from '../../../api/access/Grant';
import { grant } from './callers';

/** An in-memory grant store that counts reads (a fake of the port: the cache's logic is what is tested). */
function store(initial: Grant | undefined) {
  const s = {
    current: initial,
    reads: 0,
    async get() {
      s.reads++;
      return s.current;
    },
  };
  return s;
}

describe('CachedGrantSource', () => {
  it('reuses a grant within the TTL and rereads it after', async () => {
    let now = 0;
    const backing = store(grant());
    const cache = new CachedGrantSource(backing, 30_000, () => now);
    expect(await cache.get('acme')).toEqual(grant());
    backing.current = undefined;
    now = 29_999;
    expect(await cache.get('acme')).toEqual(grant());
    now = 30_000;
    expect(await cache.get('acme')).toBeUndefined();
    expect(backing.reads).toBe(2);
  });

  it('caches the absence of a grant too, and forgets an evicted partner at once', async () => {
    const backing = store(undefined);
    const cache = new CachedGrantSource(backing, 30_000, () => 0);
    expect(await cache.get('acme')).toBeUndefined();
    backing.current = grant();
    expect(await cache.get('acme')).toBeUndefined();
    cache.evict('acme');
    expect(await cache.get('acme')).toEqual(grant());
  });

  it('reads through every time with a TTL of 0', async () => {
    const backing = store(grant());
    const cache = new CachedGrantSource(backing, 0, () => 0);
    await cache.get('acme');
    await cache.get('acme');
    expect(backing.reads).toBe(2);
  });
});
