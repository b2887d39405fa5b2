import type { ResultRow } from '../../core/ResultPages';
import { cellId, hierarchicalTable, suppressCells, WITHHELD } from '../../core/suppression';
import type { OpenReportDefinition } from './OpenReportDefinition';

export const AREA_LEVELS = ['national', 'region', 'district', 'school'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

/** Which slice of the protected table to publish. */
export interface OpenSlice {
  /** One subject; undefined: every subject and the all-subjects total. */
  readonly subject?: string;
  /** One area level; undefined: every level. */
  readonly level?: AreaLevel;
}

/**
 * Builds the whole table of an area × subject × outcome report from its leaf counts, suppresses it as a whole
 * (primary below `minimumCellSize`, complementary until the interval audit gives every withheld figure a feasible
 * interval at least `minimumCellSize` wide), and returns the requested slice as rows: figures null with
 * `<figure>_suppressed: "withheld"` (one label for every reason, so the label bounds nothing).
 * Every slice comes from the same suppression, so overlapping requests cannot be subtracted to reveal a figure.
 */
export async function publishOpenReport(
  report: OpenReportDefinition,
  leaves: readonly ResultRow[],
  minimumCellSize: number,
  slice: OpenSlice = {},
): Promise<ResultRow[]> {
  const table = hierarchicalTable(
    3,
    leaves.map((row) => ({ coordinates: report.coordinates(row), count: Number(row['count']) })),
  );
  const suppressed = await suppressCells(table, { minimumCellSize });
  const areas = new Map<string, readonly string[]>();
  const subjects = new Map<string, readonly string[]>();
  for (const cell of table.cells) {
    areas.set(JSON.stringify(cell.coordinates[0]), cell.coordinates[0]!);
    subjects.set(JSON.stringify(cell.coordinates[1]), cell.coordinates[1]!);
  }
  const figure = (area: readonly string[], subject: readonly string[], outcome: readonly string[]) => {
    const id = cellId([area, subject, outcome]);
    const withheld = suppressed.has(id);
    return { value: withheld ? null : (table.values.get(id) ?? 0), reason: withheld ? WITHHELD : null };
  };
  const rows: ResultRow[] = [];
  for (const area of areas.values()) {
    const level = AREA_LEVELS[area.length]!;
    if (slice.level && slice.level !== level) continue;
    for (const subject of subjects.values()) {
      if (slice.subject !== undefined ? subject[0] !== slice.subject : subject.length > 1) continue;
      const all = figure(area, subject, []);
      const passed = figure(area, subject, ['passed']);
      const notPassed = figure(area, subject, ['not_passed']);
      rows.push({
        level,
        region: area[0] ?? null,
        district_id: area[1] ?? null,
        school_id: area[2] ?? null,
        subject: subject[0] ?? null,
        first_attempts: all.value,
        first_attempts_suppressed: all.reason,
        passed: passed.value,
        passed_suppressed: passed.reason,
        not_passed: notPassed.value,
        not_passed_suppressed: notPassed.reason,
        pass_rate:
          all.value !== null && passed.value !== null && all.value > 0
            ? Math.round((passed.value / all.value) * 10_000) / 10_000
            : null,
      });
    }
  }
  const order = (r: ResultRow) =>
    [AREA_LEVELS.indexOf(r['level'] as AreaLevel), r['region'], r['district_id'], r['school_id'], r['subject']].map(
      (v) => (v === null ? '' : String(v)),
    );
  return rows.sort((a, b) => {
    const x = order(a);
    const y = order(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}
