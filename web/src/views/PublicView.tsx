import * as Plot from '@observablehq/plot';
import { useMemo } from 'preact/hooks';
import type { ApiClient, ReportAnswer } from '../api';
import { Chart } from '../components/Chart';
import { DataTable, percentOfOne } from '../components/DataTable';
import { Status } from '../components/Status';
import { SubjectPicker } from '../components/SubjectPicker';
import { href, type Route } from '../route';
import { useAsync } from '../useAsync';

const LEVELS = ['region', 'district', 'school'] as const;

/** Open data without sign-in: first attempts and pass rates by region, district or school; withheld cells marked. */
export function PublicView(props: { readonly api: ApiClient; readonly route: Route }) {
  const thisYear = new Date().getUTCFullYear();
  const year = Number(props.route.params['year'] ?? thisYear);
  const level = (LEVELS as readonly string[]).includes(props.route.params['level'] ?? '')
    ? props.route.params['level']!
    : 'district';
  const subject = props.route.params['subject'] ?? '';
  const result = useAsync(
    () => props.api.openReport('attainment-by-area', { year, level, subject }),
    [year, level, subject],
  );
  const go = (change: Record<string, string>) => {
    window.location.hash = href('open', undefined, { year: String(year), level, subject, ...change });
  };
  return (
    <section aria-labelledby="open-title">
      <h1 id="open-title">Open data: attainment by area</h1>
      <p>
        First attempts at exams and how many passed, for one calendar year. Anyone may read these figures; groups of
        fewer students than the minimum are withheld, and so are figures that would let one be worked out.
      </p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Year
          <select value={String(year)} onChange={(e) => go({ year: e.currentTarget.value })}>
            {[0, 1, 2, 3, 4].map((back) => (
              <option key={back} value={String(thisYear - back)}>
                {thisYear - back}
              </option>
            ))}
          </select>
        </label>
        <label>
          Level
          <select value={level} onChange={(e) => go({ level: e.currentTarget.value })}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <SubjectPicker value={subject} onChange={(subject) => go({ subject })} />
      </form>
      <Status result={result} what="open data">
        {(answer) => <AttainmentChart answer={answer} level={level} year={year} subject={subject} />}
      </Status>
    </section>
  );
}

function AttainmentChart(props: {
  readonly answer: ReportAnswer;
  readonly level: string;
  readonly year: number;
  readonly subject: string;
}) {
  const areaOf = (row: ReportAnswer['rows'][number]) =>
    String(row['school_id'] ?? row['district_id'] ?? row['region'] ?? 'national');
  const rows = props.answer.rows.filter((r) => r['level'] === props.level);
  // The chart shows one figure per area: all subjects together, or the chosen subject (the table has them all).
  const charted = rows.filter((r) => r['subject'] === (props.subject || null));
  const published = charted.filter((r) => typeof r['pass_rate'] === 'number');
  const withheld = charted.filter((r) => typeof r['pass_rate'] !== 'number').map(areaOf);
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      marginLeft: 90,
      x: { label: 'Pass rate (%)', domain: [0, 100], grid: true },
      y: { label: null },
      marks: [
        Plot.barX(published, { y: areaOf, x: (r) => (r['pass_rate'] as number) * 100, fill: '#2f6690' }),
        Plot.ruleX([0]),
      ],
    }),
    [props.answer],
  );
  if (rows.length === 0) {
    return <p class="empty">No open data for {props.year}: choose another year.</p>;
  }
  const summary =
    `Pass rate of first attempts per ${props.level} in ${props.year}: ` +
    published.map((r) => `${areaOf(r)} ${percentOfOne(r['pass_rate'] ?? null)}`).join(', ') +
    (withheld.length ? `; withheld: ${withheld.join(', ')}.` : '.');
  return (
    <>
      <Chart
        title={`Pass rate by ${props.level}, ${props.subject || 'all subjects'}, ${props.year}`}
        summary={summary}
        options={options}
      />
      {withheld.length > 0 && (
        <p class="notice">Withheld (too few students, or derivable from published figures): {withheld.join(', ')}.</p>
      )}
      <DataTable
        caption={`Attainment by ${props.level}, ${props.year}`}
        fileName={`attainment-by-${props.level}-${props.year}`}
        rows={rows}
        nullIsWithheld
        columns={[
          {
            name: props.level === 'region' ? 'region' : props.level === 'district' ? 'district_id' : 'school_id',
            label: props.level,
          },
          { name: 'subject', label: 'Subject', nullText: 'all subjects' },
          { name: 'first_attempts', label: 'First attempts' },
          { name: 'passed', label: 'Passed' },
          { name: 'not_passed', label: 'Not passed' },
          { name: 'pass_rate', label: 'Pass rate', format: percentOfOne },
        ]}
      />
    </>
  );
}
