import * as Plot from '@observablehq/plot';
import { useMemo } from 'preact/hooks';
import type { ApiClient, Me, ReportAnswer, Row } from '../api';
import { Chart } from '../components/Chart';
import { DataTable, percent, percentOfOne } from '../components/DataTable';
import { DisclosureNote } from '../components/DisclosureNote';
import { SchoolPicker } from '../components/SchoolPicker';
import { Status } from '../components/Status';
import { SubjectPicker } from '../components/SubjectPicker';
import { href, type Route, schoolYearLabel, schoolYearOf, schoolYearRange } from '../route';
import { useAsync } from '../useAsync';

interface Overview {
  readonly schoolYears: readonly number[];
  /** The chosen school year's answers; none when the school has no results in scope. */
  readonly pair: YearPair | undefined;
}

/**
 * A school's exams of one school year (attempts, mean, pass rate) against the previous school year. The school
 * years come from `subject-trends` (months with results); each year is one `school-summary` over its dates, and an
 * exam is matched to last year's by its id without the year (`MAT-G05-2025-AUT` ↔ `MAT-G05-2024-AUT`).
 */
export function OverviewView(props: { readonly api: ApiClient; readonly me: Me; readonly route: Route }) {
  const { api, me, route } = props;
  const schoolId = route.params['school'] ?? me.schoolIds[0] ?? 'SCH-0001';
  const subject = route.params['subject'] ?? '';
  const requestedYear = route.params['year'] ? Number(route.params['year']) : undefined;
  const go = (change: Record<string, string>) => {
    window.location.hash = href('overview', undefined, {
      school: schoolId,
      subject,
      year: requestedYear ? String(requestedYear) : '',
      ...change,
    });
  };
  const result = useAsync<Overview>(async () => {
    const trends = await api.report('subject-trends', { schoolId, subject });
    const schoolYears = [...new Set(trends.rows.map((r) => schoolYearOf(Number(r['year']), Number(r['month']))))].sort(
      (a, b) => b - a,
    );
    const year = requestedYear ?? schoolYears[0];
    if (year === undefined) return { schoolYears, pair: undefined };
    const [current, previous] = await Promise.all([
      api.report('school-summary', { schoolId, subject, ...schoolYearRange(year) }),
      api.report('school-summary', { schoolId, subject, ...schoolYearRange(year - 1) }),
    ]);
    return { schoolYears, pair: { year, current, previous } };
  }, [schoolId, subject, requestedYear]);

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">School overview: {schoolId}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <SchoolPicker schools={me.schoolIds} value={schoolId} onChange={(school) => go({ school })} />
        <SubjectPicker value={subject} onChange={(subject) => go({ subject })} />
        {result.state === 'done' && result.value.schoolYears.length > 0 && (
          <label>
            School year
            <select value={String(result.value.pair?.year ?? '')} onChange={(e) => go({ year: e.currentTarget.value })}>
              {result.value.schoolYears.map((y) => (
                <option key={y} value={String(y)}>
                  {schoolYearLabel(y)}
                </option>
              ))}
            </select>
          </label>
        )}
      </form>
      <Status result={result} what={`the overview of ${schoolId}`}>
        {(overview) =>
          overview.pair ? (
            <YearOverYear overview={overview.pair} schoolId={schoolId} />
          ) : (
            <p class="empty">No results for {schoolId} in your scope.</p>
          )
        }
      </Status>
    </section>
  );
}

/** An exam id without its year, to match an exam with the same exam of another year. */
function examKey(examId: string): string {
  return examId.replace(/(^|-)(19|20)\d{2}(?=-|$)/, '$1');
}

interface YearPair {
  readonly year: number;
  readonly current: ReportAnswer;
  readonly previous: ReportAnswer;
}

function YearOverYear(props: { readonly overview: YearPair; readonly schoolId: string }) {
  const { current, previous, year } = props.overview;
  const before = new Map(previous.rows.map((r) => [examKey(String(r['exam_id'])), r]));
  const rows: Row[] = current.rows.map((r) => {
    const last = before.get(examKey(String(r['exam_id'])));
    const mean = r['mean_score_pct'];
    const lastMean = last?.['mean_score_pct'];
    return {
      ...r,
      previous_mean_score_pct: lastMean ?? null,
      previous_pass_rate: last?.['pass_rate'] ?? null,
      change_mean_score_pct:
        typeof mean === 'number' && typeof lastMean === 'number' ? Math.round((mean - lastMean) * 100) / 100 : null,
    };
  });
  const hasPrevious = previous.rows.length > 0;
  const thisLabel = schoolYearLabel(year);
  const lastLabel = schoolYearLabel(year - 1);
  const series = rows
    .flatMap((r) => [
      { exam: String(r['exam_id']), year: thisLabel, mean: r['mean_score_pct'] },
      ...(typeof r['previous_mean_score_pct'] === 'number'
        ? [{ exam: String(r['exam_id']), year: lastLabel, mean: r['previous_mean_score_pct'] }]
        : []),
    ])
    .filter((d) => typeof d.mean === 'number');
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      marginLeft: 130,
      height: Math.max(160, rows.length * (hasPrevious ? 34 : 22) + 50),
      x: { label: 'Mean score (% of maximum)', domain: [0, 100], grid: true },
      y: { label: null, axis: null, domain: [lastLabel, thisLabel] },
      fy: { label: null },
      color: { legend: true, domain: [thisLabel, lastLabel], range: ['#2f6690', '#c9a227'] },
      marks: [Plot.barX(series, { x: 'mean', y: 'year', fy: 'exam', fill: 'year' }), Plot.ruleX([0])],
    }),
    [current, previous],
  );
  const summary =
    `Mean score per exam at ${props.schoolId} in ${thisLabel}` +
    (hasPrevious ? ` against ${lastLabel}` : '') +
    ': ' +
    rows
      .map(
        (r) =>
          `${r['exam_id']} ${percent(r['mean_score_pct'] ?? null)}` +
          (typeof r['change_mean_score_pct'] === 'number' ? ` (${signed(r['change_mean_score_pct'])} points)` : ''),
      )
      .join(', ') +
    '.';
  return (
    <>
      {!hasPrevious && (
        <p class="notice" data-testid="no-previous-year">
          No results for {lastLabel} at {props.schoolId}: the comparison with the previous school year needs its exports
          loaded.
        </p>
      )}
      <DisclosureNote answer={current} />
      <Chart
        title={`Mean score per exam, ${thisLabel}${hasPrevious ? ` and ${lastLabel}` : ''}`}
        summary={summary}
        options={options}
      />
      <DataTable
        caption={`Exams at ${props.schoolId}, ${thisLabel}`}
        fileName={`school-summary-${props.schoolId}-${year}`}
        rows={rows}
        nullIsWithheld={current.disclosure !== undefined}
        columns={[
          {
            name: 'exam_id',
            label: 'Exam',
            format: (v) => <a href={href('exam', String(v), { school: props.schoolId })}>{String(v)}</a>,
          },
          { name: 'exam_title', label: 'Title' },
          { name: 'attempts', label: 'Attempts' },
          { name: 'students', label: 'Students' },
          { name: 'mean_score_pct', label: 'Mean score', format: percent },
          { name: 'pass_rate', label: 'Pass rate', format: percentOfOne },
          { name: 'previous_mean_score_pct', label: `Mean ${lastLabel}`, format: percent, nullText: 'no data' },
          {
            name: 'change_mean_score_pct',
            label: 'Change (points)',
            format: (v) => (typeof v === 'number' ? signed(v) : '–'),
            nullText: '–',
          },
        ]}
      />
    </>
  );
}

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${value.toFixed(1)}`;
}
