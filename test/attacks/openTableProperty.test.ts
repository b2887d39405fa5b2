import fc from 'fast-check';
import { ATTAINMENT_BY_AREA } from '../../api/reports/open/attainmentByArea';
import { publishOpenReport } from '../../api/reports/open/publishOpenReport';
import { attackOpenTable, type OpenRow } from './intervalAttacker';

/**
 * The interval attack on open tables as a property: random small schools (1–25 first attempts per subject and
 * outcome, in two regions and three districts), published as every slice a caller can ask for, attacked by an
 * integer program built from the published rows alone. Every withheld figure keeps a feasible range at least
 * the minimum wide, so nobody can tell a group below the minimum, let alone its size.
 */
const MINIMUM = 10;

const leaves = fc.uniqueArray(
  fc.record({
    region: fc.constantFrom('north', 'south'),
    district_id: fc.constantFrom('D1', 'D2', 'D3'),
    school_id: fc.constantFrom('S1', 'S2', 'S3'),
    subject: fc.constantFrom('maths', 'art', 'music'),
    passed: fc.boolean(),
    count: fc.integer({ min: 1, max: 25 }),
  }),
  {
    minLength: 2,
    maxLength: 12,
    selector: (r) => `${r.region}${r.district_id}${r.school_id}${r.subject}${r.passed}`,
  },
);

describe('the interval attack on open tables (property)', () => {
  it('leaves every withheld figure a feasible range at least the minimum wide, over every slice combined', async () => {
    await fc.assert(
      fc.asyncProperty(leaves, async (rows) => {
        // Districts belong to one region and schools to one district, as in the data.
        const leafRows = rows.map((r) => ({
          ...r,
          district_id: `${r.region}-${r.district_id}`,
          school_id: `${r.region}-${r.district_id}-${r.school_id}`,
        }));
        const published = new Map<string, OpenRow>();
        for (const slice of [{}, { level: 'school' as const }, { subject: 'art' }, { level: 'district' as const }]) {
          for (const row of await publishOpenReport(ATTAINMENT_BY_AREA, leafRows, MINIMUM, slice)) {
            published.set(
              JSON.stringify([row['region'], row['district_id'], row['school_id'], row['subject']]),
              row as OpenRow,
            );
          }
        }
        for (const [figure, interval] of await attackOpenTable([...published.values()])) {
          expect({ figure, wide: interval.upper - interval.lower >= MINIMUM }).toEqual({ figure, wide: true });
        }
      }),
      { numRuns: 8 },
    );
  });
});
