import loadHighs from 'highs';

/** A published row of `attainment-by-area` (every level, every subject and the all-subjects total). */
export type OpenRow = Record<string, string | number | null>;

const FIGURES = ['first_attempts', 'passed', 'not_passed'] as const;

/** A bound far above any test table's figures: an unknown reaching it is unbounded by what is published. */
const CAP = 1_000_000;

/**
 * The attacker of the open tables, written apart from the API's audit: from nothing but the published rows it
 * rebuilds the table's equations (a figure = passed + not passed; a parent area = Σ its child areas; all
 * subjects = Σ subjects), makes every withheld figure an integer unknown ≥ 1 (zeros are published), and asks
 * HiGHS for each unknown's smallest and largest value. Returns the feasible interval of every withheld figure.
 */
export async function attackOpenTable(
  rows: readonly OpenRow[],
): Promise<Map<string, { lower: number; upper: number }>> {
  const highs = await loadHighs();
  const areaOf = (r: OpenRow) => [r['region'], r['district_id'], r['school_id']].filter((v) => v !== null).join('/');
  const id = (area: string, subject: unknown, figure: string) => `${area}|${subject ?? '*'}|${figure}`;
  const value = new Map<string, number | null>();
  const areas = new Set<string>();
  const subjects = new Set<string>();
  for (const r of rows) {
    const area = areaOf(r);
    areas.add(area);
    if (r['subject'] !== null) subjects.add(String(r['subject']));
    for (const f of FIGURES) value.set(id(area, r['subject'], f), r[f] as number | null);
  }
  const equations: { total: string; parts: string[] }[] = [];
  const subjectKeys = [null, ...subjects];
  for (const area of areas) {
    for (const subject of subjectKeys) {
      equations.push({
        total: id(area, subject, 'first_attempts'),
        parts: [id(area, subject, 'passed'), id(area, subject, 'not_passed')],
      });
    }
    for (const f of FIGURES) {
      equations.push({ total: id(area, null, f), parts: [...subjects].map((s) => id(area, s, f)) });
    }
    const children = [...areas].filter(
      (a) => a !== area && a.startsWith(area === '' ? '' : `${area}/`) && depth(a) === depth(area) + 1,
    );
    if (children.length === 0) continue;
    for (const subject of subjectKeys) {
      for (const f of FIGURES) {
        equations.push({ total: id(area, subject, f), parts: children.map((c) => id(c, subject, f)) });
      }
    }
  }
  const unknown = [...value].filter(([, v]) => v === null).map(([k]) => k);
  const name = new Map(unknown.map((k, i) => [k, `w${i}`]));
  const known = (k: string) => value.get(k) ?? 0; // a combination never published is an empty group
  const constraints = equations
    .map((eq, i) => {
      const terms: string[] = [];
      let rhs = 0;
      for (const [k, c] of [[eq.total, 1] as const, ...eq.parts.map((p) => [p, -1] as const)]) {
        if (name.has(k)) terms.push(`${c > 0 ? '+' : '-'} ${name.get(k)}`);
        else rhs -= c * known(k);
      }
      return terms.length ? ` c${i}: ${terms.join(' ')} = ${rhs}` : undefined;
    })
    .filter((c): c is string => c !== undefined);
  const out = new Map<string, { lower: number; upper: number }>();
  for (const k of unknown) {
    const bound = (sense: 'Minimize' | 'Maximize') => {
      const lp = [
        sense,
        ` obj: ${name.get(k)}`,
        'Subject To',
        ...constraints,
        'Bounds',
        ...unknown.map((u) => ` 1 <= ${name.get(u)} <= ${CAP}`),
        'Generals',
        ` ${unknown.map((u) => name.get(u)).join(' ')}`,
        'End',
      ].join('\n');
      const result = highs.solve(lp, { output_flag: false });
      if (result.Status !== 'Optimal') throw new Error(`The attacker's program ended ${result.Status}.`);
      const optimum = Math.round(result.ObjectiveValue);
      return optimum >= CAP ? Number.POSITIVE_INFINITY : optimum;
    };
    out.set(k, { lower: bound('Minimize'), upper: bound('Maximize') });
  }
  return out;
}

function depth(area: string): number {
  return area === '' ? 0 : area.split('/').length;
}
