import { TokenBuckets } from '../../../api/access/TokenBucket';

describe('TokenBuckets', () => {
  it('grants a burst, then one request per refill interval, with the wait in whole seconds', () => {
    let now = 0;
    const buckets = new TokenBuckets(0.5, 3, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(2);
    now = 1_000;
    expect(buckets.take('a')).toBe(1);
    now = 2_000;
    expect(buckets.take('a')).toBe(0);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets(1, 1, () => 0);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
    expect(buckets.take('b')).toBe(0);
  });

  it('never holds more than the burst', () => {
    let now = 0;
    const buckets = new TokenBuckets(100, 2, () => now);
    now = 60_000;
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 1]);
  });

  it('refuses a rate of 0 or a burst below 1', () => {
    expect(() => new TokenBuckets(0, 1)).toThrow(RangeError);
    expect(() => new TokenBuckets(1, 0)).toThrow(RangeError);
  });
});
