import { TokenSigner } from '../../../api/core/TokenSigner';
import type { SigningKeyRing, SigningKeys } from '../../../api/ports/SigningKeys';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

/** An in-memory key source whose ring the test sets, and which can be made to fail. */
class FixedKeys implements SigningKeys {
  constructor(
    public ring: SigningKeyRing,
    public failing = false,
  ) {}
  async keyRing(): Promise<SigningKeyRing> {
    if (this.failing) throw new Error('Secrets Manager unavailable');
    return this.ring;
  }
}

describe('TokenSigner across key rotations', () => {
  it('signs with the current key and opens tokens of the current and the previous key only', async () => {
    const keys = new FixedKeys({ current: A, previous: undefined });
    const signer = await TokenSigner.from(keys, () => {});
    const underA = signer.sign('page', { o: 1 });

    keys.ring = { current: B, previous: A };
    await signer.refresh();
    const underB = signer.sign('page', { o: 1 });
    expect(underB).not.toBe(underA);
    expect(signer.open('page', underA)).toEqual({ o: 1 });
    expect(signer.open('page', underB)).toEqual({ o: 1 });

    keys.ring = { current: C, previous: B };
    await signer.refresh();
    expect(signer.open('page', underA)).toBeUndefined();
    expect(signer.open('page', underB)).toEqual({ o: 1 });
  });

  it('keeps purposes apart under either key', () => {
    const signer = TokenSigner.withKeys({ current: B, previous: A });
    const handle = TokenSigner.withKeys({ current: A, previous: undefined }).sign('handle', { k: 'x' });
    expect(signer.open('handle', handle)).toEqual({ k: 'x' });
    expect(signer.open('page', handle)).toBeUndefined();
  });

  it('keeps signing with the last keys read when the source fails, and reports it', async () => {
    const keys = new FixedKeys({ current: A, previous: undefined });
    const reported: unknown[] = [];
    const signer = await TokenSigner.from(keys, (err) => reported.push(err));
    const before = signer.sign('page', { o: 2 });
    keys.failing = true;
    await signer.refresh();
    expect(signer.sign('page', { o: 2 })).toBe(before);
    expect(reported).toEqual([new Error('Secrets Manager unavailable')]);
  });

  it('fails to start when the keys cannot be read at all', async () => {
    await expect(TokenSigner.from(new FixedKeys({ current: A, previous: undefined }, true), () => {})).rejects.toThrow(
      'Secrets Manager unavailable',
    );
  });
});
