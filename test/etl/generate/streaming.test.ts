import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateSampleData } from '../../../etl/generate/generateSampleData';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Live heap (after a full collection), in bytes. */
function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-stream-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generateSampleData', () => {
  it('streams rows to disk: the live heap does not grow with the rows written', async () => {
    const samples: { rows: number; heap: number }[] = [];
    let calls = 0;
    const summary = await generateSampleData(
      path.join(dir, 'out'),
      { seed: 'stream', schools: 1 },
      {
        onProgress: (p) => {
          if (calls++ % 25 === 0) samples.push({ rows: p.rows, heap: liveHeap() });
        },
      },
    );
    const rows = summary.rows.exam_results + summary.rows.item_responses;
    expect(rows).toBeGreaterThan(50_000);
    expect(samples.length).toBeGreaterThan(5);
    // Holding the rows would grow the heap by at least the text written after the first sample; streaming keeps
    // the growth to a few chunks of 256 KiB and the retakes waiting for their month. A generous bound: a quarter.
    const first = samples[0]!;
    const growth = Math.max(...samples.map((s) => s.heap)) - first.heap;
    const bytesAfterFirst = summary.bytes * (1 - first.rows / rows);
    expect(growth).toBeLessThan(bytesAfterFirst / 4);
  });
});
