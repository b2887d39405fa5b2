import { EncodedBodies } from '../../../../infra/local/gateway/EncodedBodies';

const text = (char: string, length: number, tail = '') => char.repeat(length - tail.length) + tail;

describe('EncodedBodies', () => {
  it('encodes as UTF-8, multi-byte characters included', () => {
    const bodies = new EncodedBodies(1 << 20, 8);
    for (const body of ['', 'short', text('a', 5000, 'é—😀'), text('x', 9, '"\\\n')]) {
      expect(bodies.encode(body).equals(Buffer.from(body, 'utf8'))).toBe(true);
    }
  });

  it('keeps a long text once and answers it again with the same bytes, by content', () => {
    const bodies = new EncodedBodies(1 << 20, 100);
    const first = bodies.encode(text('a', 200));
    // The same content built again is another string object: found by value.
    const again = bodies.encode(['a'.repeat(100), 'a'.repeat(100)].join(''));
    expect(again).toBe(first);
    expect(bodies.size).toBe(1);
  });

  it('encodes short texts per call without keeping them', () => {
    const bodies = new EncodedBodies(1 << 20, 100);
    const a = bodies.encode('{"status":"ok"}');
    const b = bodies.encode('{"status":"ok"}');
    expect(a.equals(b)).toBe(true);
    expect(bodies.size).toBe(0);
  });

  it('stays within its byte bound, dropping the least recently used first', () => {
    // Each 1,000-character ASCII text costs 2,000 bytes (text and encoding): three fit in 6,000.
    const bodies = new EncodedBodies(6000, 100);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((ch) => text(ch, 1000));
    const kept = bodies.encode(a!);
    bodies.encode(b!);
    bodies.encode(c!);
    expect(bodies.encode(a!)).toBe(kept); // a is now the most recently used
    bodies.encode(d!); // over the bound: b goes
    expect(bodies.size).toBe(3);
    expect(bodies.encode(a!)).toBe(kept);
    const bAgain = bodies.encode(b!);
    expect(bAgain.equals(Buffer.from(b!))).toBe(true);
    expect(bodies.size).toBe(3);
  });

  it('never keeps a text larger than its whole bound', () => {
    const bodies = new EncodedBodies(1000, 10);
    const big = text('z', 2000);
    expect(bodies.encode(big).equals(Buffer.from(big))).toBe(true);
    expect(bodies.size).toBe(0);
  });
});
