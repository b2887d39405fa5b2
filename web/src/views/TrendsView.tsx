import * as Plot from '@observablehq/plot';
import { useMemo } from 'preact/hooks';
import type { ApiClient, Me, ReportAnswer } from '../api';
import { Chart } from '../components/Chart';
import { DataTable, isWithheld, percent, percentOfOne } from '../components/DataTable';
import { DisclosureNote } from '../components/DisclosureNote';
import { SchoolPicker } from '../components/SchoolPicker';
import { Status } from '../components/Status';
import { SubjectPicker } from '../components/SubjectPicker';
import { href, type Route } from '../route';
import { useAsync } from '../useAsync';

/** Monthly mean score per subject at one school (`subject-trends`). */
export function TrendsView(props: { readonly api: ApiClient; readonly me: Me; readonly route: Route }) {
  const { api, me, route } = props;
  const schoolId = route.params['school'] ?? me.schoolIds[0] ?? 'SCH-0001';
  const subject = route.params['subject'] ?? '';
  const go = (change: Record<string, string>) => {
    window.location.hash = href('trends', undefined, { school: schoolId, subject, ...change });
  };
  const result = useAsync(() => api.report('subject-trends', { schoolId, subject }), [schoolId, subject]);
  return (
    <section aria-labelledby="trends-title">
      <h1 id="trends-title">Trends by subject: {schoolId}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <SchoolPicker schools={me.schoolIds} value={schoolId} onChange={(school) => go({ school })} />
        <SubjectPicker value={subject} onChange={(subject) => go({ subject })} />
      </form>
      <Status result={result} what="the trends">
        {(answer) => <Trends answer={answer} schoolId={schoolId} />}
      </Status>
    </section>
  );
}

function Trends(props: { readonly answer: ReportAnswer; readonly schoolId: string }) {
  const points = props.answer.rows
    .filter((r) => !isWithheld(r) && typeof r['mean_score_pct'] === 'number')
    .map((r) => ({
      subject: String(r['subject']),
      month: new Date(Date.UTC(Number(r['year']), Number(r['month']) - 1, 1)),
      mean: r['mean_score_pct'] as number,
    }));
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      x: { label: 'Month', type: 'utc' },
      y: { label: 'Mean score (% of maximum)', domain: [0, 100], grid: true },
      color: { legend: true },
      marks: [Plot.lineY(points, { x: 'month', y: 'mean', stroke: 'subject', marker: 'dot' }), Plot.ruleY([0])],
    }),
    [props.answer],
  );
  if (props.answer.rows.length === 0) return <p class="empty">No results for {props.schoolId} in your scope.</p>;
  const summary = `Monthly mean score per subject at ${props.schoolId}, ${points.length} months plotted.`;
  return (
    <>
      <DisclosureNote answer={props.answer} />
      <Chart title="Mean score by month" summary={summary} options={options} />
      <DataTable
        caption={`Monthly results at ${props.schoolId}`}
        fileName={`subject-trends-${props.schoolId}`}
        rows={props.answer.rows}
        nullIsWithheld={props.answer.disclosure !== undefined}
        columns={[
          { name: 'subject', label: 'Subject' },
          { name: 'year', label: 'Year' },
          { name: 'month', label: 'Month' },
          { name: 'attempts', label: 'Attempts' },
          { name: 'mean_score_pct', label: 'Mean score', format: percent },
          { name: 'pass_rate', label: 'Pass rate', format: percentOfOne },
        ]}
      />
    </>
  );
}
