import fc from 'fast-check';
import {
  cellId,
  determinedCells,
  feasibleIntervals,
  hierarchicalTable,
  type LeafCount,
  type LinearTable,
  narrowCells,
  suppressCells,
} from '../../../../api/core/suppression';
import { alternativeExists } from './attacker';

/** The attacker's integer programs (HiGHS) leave every withheld cell an interval at least `width` wide. */
async function expectWideIntervals(table: LinearTable, withheld: ReadonlySet<string>, width: number) {
  for (const [id, interval] of await feasibleIntervals(table, withheld)) {
    expect({ id, wide: interval.upper - interval.lower >= width }).toEqual({ id, wide: true });
  }
}

/** A rows × columns table of counts with row totals, column totals and the grand total. */
function crossTable(grid: readonly (readonly number[])[]): LinearTable {
  const leaves: LeafCount[] = [];
  grid.forEach((row, r) => {
    row.forEach((count, c) => {
      leaves.push({ coordinates: [[`r${r}`], [`c${c}`]], count });
    });
  });
  return hierarchicalTable(2, leaves);
}

const grids = fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 3 })).chain(([rows, cols]) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 14 }), { minLength: cols, maxLength: cols }), {
    minLength: rows,
    maxLength: rows,
  }),
);

/** Region → district → school, by pass/fail: three levels of one hierarchy against a two-way split. */
const hierarchies = fc.array(
  fc.record({
    region: fc.constantFrom('north', 'south'),
    district: fc.constantFrom('D1', 'D2'),
    school: fc.constantFrom('S1', 'S2'),
    outcome: fc.constantFrom('passed', 'failed'),
    count: fc.integer({ min: 1, max: 12 }),
  }),
  { minLength: 1, maxLength: 8 },
);

function hierarchy(
  records: readonly { region: string; district: string; school: string; outcome: string; count: number }[],
) {
  return hierarchicalTable(
    2,
    records.map((r) => ({
      coordinates: [[r.region, `${r.region}-${r.district}`, `${r.region}-${r.district}-${r.school}`], [r.outcome]],
      count: r.count,
    })),
  );
}

describe('suppressCells', () => {
  it('suppresses every cell below the minimum and no zero', async () => {
    await fc.assert(
      fc.asyncProperty(grids, async (grid) => {
        const table = crossTable(grid);
        const out = await suppressCells(table, { minimumCellSize: 5 });
        for (const [id, v] of table.values) {
          if (v > 0 && v < 5) expect(out.get(id)).toBe('primary');
          if (v === 0) expect(out.has(id)).toBe(false);
        }
      }),
    );
  });

  it('leaves no equation with exactly one suppressed cell', async () => {
    await fc.assert(
      fc.asyncProperty(grids, async (grid) => {
        const table = crossTable(grid);
        const out = await suppressCells(table, { minimumCellSize: 5 });
        for (const eq of table.equations) {
          expect([eq.total, ...eq.parts].filter((id) => out.has(id)).length).not.toBe(1);
        }
      }),
    );
  });

  it('lets an attacker solving row, column and grand totals determine no suppressed cell', async () => {
    await fc.assert(
      fc.asyncProperty(grids, async (grid) => {
        const table = crossTable(grid);
        const out = new Set((await suppressCells(table, { minimumCellSize: 5 })).keys());
        expect(determinedCells(table, out).size).toBe(0);
        for (const id of out) expect(alternativeExists(table, out, id)).toBe(true);
        await expectWideIntervals(table, out, 5);
      }),
      { numRuns: 60 },
    );
  });

  it('protects suppressed cells across the levels of a hierarchy', async () => {
    await fc.assert(
      fc.asyncProperty(hierarchies, async (records) => {
        const table = hierarchy(records);
        const out = new Set((await suppressCells(table, { minimumCellSize: 10 })).keys());
        expect(determinedCells(table, out).size).toBe(0);
        for (const id of out) expect(alternativeExists(table, out, id)).toBe(true);
        await expectWideIntervals(table, out, 10);
      }),
      { numRuns: 40 },
    );
  });

  it('protects a table whose small cells sit on a diagonal', async () => {
    // Small cells in opposite corners: complements must be chosen so that no combination of totals isolates one.
    const table = crossTable([
      [3, 20, 4],
      [20, 20, 20],
      [4, 20, 3],
    ]);
    const out = new Set((await suppressCells(table, { minimumCellSize: 5 })).keys());
    expect(determinedCells(table, out).size).toBe(0);
    for (const id of out) expect(alternativeExists(table, out, id)).toBe(true);
  });

  it('withholds more than an equations-only audit would when bounds narrow a withheld cell', async () => {
    // The school: 11 first attempts, 10 passed, 1 not. With every cell of the 2 × 2 withheld but the
    // totals published, no cell is determined by the equations, yet bounds (each ≥ 1) pin the row of 11 to
    // [1, 10]: narrower than 10.
    const table = crossTable([
      [10, 1],
      [30, 40],
    ]);
    const inner = new Set(['r0', 'r1'].flatMap((r) => ['c0', 'c1'].map((c) => cellId([[r], [c]]))));
    expect(determinedCells(table, inner).size).toBe(0);
    expect((await narrowCells(table, inner, { protectionWidth: 10, integer: true })).size).toBeGreaterThan(0);
    const out = new Set((await suppressCells(table, { minimumCellSize: 10 })).keys());
    await expectWideIntervals(table, out, 10);
  });

  it('detects a determined cell when totals give it away', async () => {
    const table = crossTable([
      [3, 20],
      [20, 20],
    ]);
    const only = new Set([cellId([['r0'], ['c0']])]);
    expect([...determinedCells(table, only)]).toEqual([...only]);
    expect(alternativeExists(table, only, [...only][0]!)).toBe(false);
  });

  it('rejects counts that are not non-negative integers and a minimum below 1', async () => {
    await expect(suppressCells(crossTable([[1.5, 2]]), { minimumCellSize: 5 })).rejects.toThrow(/not a count/);
    await expect(suppressCells(crossTable([[1, 2]]), { minimumCellSize: 0 })).rejects.toThrow(/minimumCellSize/);
  });
});
