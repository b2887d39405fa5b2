import fc from 'fast-check';
import { cellId, determinedCells, feasibleIntervals, hierarchicalTable } from '../../../../api/core/suppression';
import { ATTAINMENT_BY_AREA } from '../../../../api/reports/open/attainmentByArea';
import { publishOpenReport } from '../../../../api/reports/open/publishOpenReport';

const leafRows = fc.uniqueArray(
  fc.record({
    region: fc.constantFrom('north', 'south'),
    district_id: fc.constantFrom('D1', 'D2'),
    school_id: fc.constantFrom('S1', 'S2', 'S3'),
    subject: fc.constantFrom('maths', 'art'),
    passed: fc.boolean(),
    count: fc.integer({ min: 1, max: 25 }),
  }),
  { minLength: 1, maxLength: 14, selector: (r) => `${r.region}${r.district_id}${r.school_id}${r.subject}${r.passed}` },
);

const FIGURES = [
  ['first_attempts', []],
  ['passed', ['passed']],
  ['not_passed', ['not_passed']],
] as const;

describe('publishOpenReport', () => {
  it('publishes every level and subject, with totals that add up', async () => {
    const rows = await publishOpenReport(
      ATTAINMENT_BY_AREA,
      [
        { region: 'north', district_id: 'D1', school_id: 'S1', subject: 'maths', passed: true, count: 30 },
        { region: 'north', district_id: 'D1', school_id: 'S1', subject: 'maths', passed: false, count: 20 },
      ],
      10,
    );
    expect(rows.map((r) => [r['level'], r['subject']])).toEqual([
      ['national', null],
      ['national', 'maths'],
      ['region', null],
      ['region', 'maths'],
      ['district', null],
      ['district', 'maths'],
      ['school', null],
      ['school', 'maths'],
    ]);
    expect(rows[0]).toMatchObject({ first_attempts: 50, passed: 30, not_passed: 20, pass_rate: 0.6 });
  });

  it('withholds small figures under one label and no rate', async () => {
    const rows = await publishOpenReport(
      ATTAINMENT_BY_AREA,
      [
        { region: 'north', district_id: 'D1', school_id: 'S1', subject: 'maths', passed: true, count: 30 },
        { region: 'north', district_id: 'D1', school_id: 'S1', subject: 'maths', passed: false, count: 3 },
        { region: 'north', district_id: 'D1', school_id: 'S2', subject: 'maths', passed: true, count: 40 },
        { region: 'north', district_id: 'D1', school_id: 'S2', subject: 'maths', passed: false, count: 12 },
      ],
      10,
      { level: 'school', subject: 'maths' },
    );
    expect(rows[0]).toMatchObject({
      school_id: 'S1',
      not_passed: null,
      not_passed_suppressed: 'withheld',
      pass_rate: null,
    });
    // S1's three can't be had from S1's total: something else in its row is withheld too.
    expect([rows[0]!['passed_suppressed'], rows[0]!['first_attempts_suppressed']]).toContain('withheld');
    for (const row of rows) {
      for (const [name] of FIGURES) expect([null, 'withheld']).toContain(row[`${name}_suppressed`]);
    }
  });

  it('lets overlapping public queries (all, by subject, by level) reveal no withheld figure together', async () => {
    await fc.assert(
      fc.asyncProperty(leafRows, async (leaves) => {
        const slices = [
          {},
          { subject: 'maths' },
          { subject: 'art' },
          { level: 'school' as const },
          { level: 'region' as const, subject: 'art' },
        ];
        const published = new Map<string, number | null>();
        for (const slice of slices) {
          for (const row of await publishOpenReport(ATTAINMENT_BY_AREA, leaves, 10, slice)) {
            const area = [row['region'], row['district_id'], row['school_id']].filter((v) => v !== null) as string[];
            const subject = row['subject'] === null ? [] : [row['subject'] as string];
            for (const [name, outcome] of FIGURES) {
              const id = cellId([area, subject, outcome]);
              const value = row[name] as number | null;
              // The same figure is published, or withheld, the same way by every query.
              if (published.has(id)) expect(published.get(id)).toBe(value);
              published.set(id, value);
            }
          }
        }
        const table = hierarchicalTable(
          3,
          leaves.map((r) => ({ coordinates: ATTAINMENT_BY_AREA.coordinates(r), count: r.count })),
        );
        const withheld = new Set([...published].filter(([, v]) => v === null).map(([id]) => id));
        // A figure of a category no leaf has (nobody failed) is a published zero outside the table's equations.
        for (const [id, v] of published) if (v !== null) expect(v).toBe(table.values.get(id) ?? 0);
        expect(determinedCells(table, withheld).size).toBe(0);
        // The attacker's integer programs over everything published leave every withheld figure ≥ 10 wide.
        for (const interval of (await feasibleIntervals(table, withheld)).values()) {
          expect(interval.upper - interval.lower).toBeGreaterThanOrEqual(10);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('gives no figure away through subtraction of a subject from the total', async () => {
    const leaves = [
      { region: 'north', district_id: 'D1', school_id: 'S1', subject: 'maths', passed: true, count: 40 },
      { region: 'north', district_id: 'D1', school_id: 'S1', subject: 'art', passed: true, count: 4 },
      { region: 'north', district_id: 'D1', school_id: 'S2', subject: 'maths', passed: true, count: 40 },
      { region: 'north', district_id: 'D1', school_id: 'S2', subject: 'art', passed: true, count: 30 },
    ];
    const all = await publishOpenReport(ATTAINMENT_BY_AREA, leaves, 10, { level: 'school' });
    const s1 = all.filter((r) => r['school_id'] === 'S1');
    const total = s1.find((r) => r['subject'] === null)!;
    const maths = s1.find((r) => r['subject'] === 'maths')!;
    const art = s1.find((r) => r['subject'] === 'art')!;
    expect(art['first_attempts']).toBeNull();
    // Total − maths would be art's 4: one of them must be withheld as well.
    expect(total['first_attempts'] === null || maths['first_attempts'] === null).toBe(true);
  });
});
