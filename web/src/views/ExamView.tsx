import * as Plot from '@observablehq/plot';
import { useMemo } from 'preact/hooks';
import type { ApiClient, ReportAnswer, Row } from '../api';
import { Chart } from '../components/Chart';
import { DataTable, isWithheld, percent, percentOfOne } from '../components/DataTable';
import { DisclosureNote } from '../components/DisclosureNote';
import { Status } from '../components/Status';
import { href, type Route } from '../route';
import { useAsync } from '../useAsync';

/** Items this easy or hard, or this weakly discriminating, are flagged for review. */
export const ITEM_FLAGS = { tooHard: 0.2, tooEasy: 0.95, weakDiscrimination: 0.2 } as const;

/** Why an item is flagged, or undefined. */
export function itemFlag(row: Row): string | undefined {
  const p = row['proportion_correct'];
  const r = row['point_biserial'];
  const flags: string[] = [];
  if (typeof p === 'number' && p < ITEM_FLAGS.tooHard) flags.push('very hard');
  if (typeof p === 'number' && p > ITEM_FLAGS.tooEasy) flags.push('very easy');
  if (typeof r === 'number' && r < ITEM_FLAGS.weakDiscrimination) flags.push('weak discrimination');
  return flags.length ? flags.join(', ') : undefined;
}

/** One exam at one school: the score distribution, the classes side by side and the item analysis. */
export function ExamView(props: { readonly api: ApiClient; readonly route: Route }) {
  const examId = props.route.id ?? '';
  const schoolId = props.route.params['school'] ?? '';
  const scope = schoolId ? { examId, schoolId } : { examId };
  const distribution = useAsync(() => props.api.report('score-distribution', scope), [examId, schoolId]);
  const classes = useAsync(
    () => (schoolId ? props.api.report('class-comparison', { schoolId, examId }) : Promise.resolve(undefined)),
    [examId, schoolId],
  );
  const items = useAsync(() => props.api.report('item-analysis', scope), [examId, schoolId]);
  return (
    <section aria-labelledby="exam-title">
      <p>
        <a href={href('overview', undefined, { school: schoolId })}>← Overview of {schoolId || 'the school'}</a>
      </p>
      <h1 id="exam-title">
        {examId}
        {schoolId ? ` at ${schoolId}` : ''}
      </h1>
      <h2>Score distribution</h2>
      <Status result={distribution} what="the score distribution">
        {(answer) => <Histogram answer={answer} />}
      </Status>
      {schoolId && (
        <>
          <h2>Classes</h2>
          <Status result={classes} what="the class comparison">
            {(answer) => (answer ? <Classes answer={answer} /> : null)}
          </Status>
        </>
      )}
      <h2>Items</h2>
      <Status result={items} what="the item analysis">
        {(answer) => <Items answer={answer} />}
      </Status>
    </section>
  );
}

function Histogram(props: { readonly answer: ReportAnswer }) {
  const rows = props.answer.rows.filter((r) => !isWithheld(r) && typeof r['attempts'] === 'number');
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      x: { label: 'Score (% of maximum)', domain: [0, 100] },
      y: { label: 'Attempts', grid: true },
      marks: [
        Plot.rectY(rows, { x1: 'lower_pct', x2: 'upper_pct', y: 'attempts', fill: '#2f6690', inset: 1 }),
        Plot.ruleY([0]),
      ],
    }),
    [props.answer],
  );
  const chart =
    rows.length === 0 ? (
      <p class="notice">Every score band is withheld: no chart can be drawn without singling students out.</p>
    ) : (
      <Chart title="Score distribution" summary={summaryOf(rows)} options={options} />
    );
  return (
    <>
      <DisclosureNote answer={props.answer} />
      {chart}
      <DataTable
        caption="Attempts per score band"
        fileName={`score-distribution-${props.answer.url.replace(/\W+/g, '-')}`}
        rows={props.answer.rows}
        nullIsWithheld={props.answer.disclosure !== undefined}
        columns={[
          { name: 'lower_pct', label: 'From %' },
          { name: 'upper_pct', label: 'To %' },
          { name: 'attempts', label: 'Attempts' },
        ]}
      />
    </>
  );
}

function summaryOf(bands: readonly Row[]): string {
  return `Attempts per score band: ${bands.map((r) => `${r['lower_pct']}–${r['upper_pct']} %: ${r['attempts']}`).join(', ')}.`;
}

function Classes(props: { readonly answer: ReportAnswer }) {
  const rows = props.answer.rows;
  const published = rows.filter((r) => typeof r['mean_score_pct'] === 'number');
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      marginLeft: 110,
      x: { label: 'Mean score (% of maximum)', domain: [0, 100], grid: true },
      y: { label: null },
      marks: [Plot.barX(published, { y: 'class_id', x: 'mean_score_pct', fill: '#2f6690' }), Plot.ruleX([0])],
    }),
    [props.answer],
  );
  const withheld = rows.filter((r) => typeof r['mean_score_pct'] !== 'number').length;
  const summary =
    `Mean score per class: ${published.map((r) => `${r['class_id']} ${percent(r['mean_score_pct'] ?? null)}`).join(', ')}` +
    (withheld ? `; ${withheld} withheld.` : '.');
  return (
    <>
      <DisclosureNote answer={props.answer} />
      <Chart title="Classes compared" summary={summary} options={options} />
      <DataTable
        caption="Classes compared"
        fileName={`class-comparison-${props.answer.url.replace(/\W+/g, '-')}`}
        rows={rows}
        nullIsWithheld={props.answer.disclosure !== undefined}
        columns={[
          { name: 'class_id', label: 'Class' },
          { name: 'teacher_id', label: 'Teacher' },
          { name: 'attempts', label: 'Attempts' },
          { name: 'students', label: 'Students' },
          { name: 'mean_score_pct', label: 'Mean score', format: percent },
          { name: 'pass_rate', label: 'Pass rate', format: percentOfOne },
        ]}
      />
    </>
  );
}

function Items(props: { readonly answer: ReportAnswer }) {
  const rows: Row[] = props.answer.rows.map((r) => ({ ...r, flag: itemFlag(r) ?? null }));
  const plotted = rows.filter(
    (r) => typeof r['proportion_correct'] === 'number' && typeof r['point_biserial'] === 'number',
  );
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      x: { label: 'Proportion correct (easiness)', domain: [0, 1], grid: true },
      y: { label: 'Discrimination (point-biserial)', domain: [-0.2, 1], grid: true },
      color: { legend: true, domain: ['flagged', 'not flagged'], range: ['#b3261e', '#2f6690'] },
      marks: [
        Plot.ruleY([ITEM_FLAGS.weakDiscrimination], { stroke: '#b3261e', strokeDasharray: '4,3' }),
        Plot.dot(plotted, {
          x: 'proportion_correct',
          y: 'point_biserial',
          fill: (r: Row) => (r['flag'] ? 'flagged' : 'not flagged'),
          r: 5,
        }),
        Plot.text(plotted, { x: 'proportion_correct', y: 'point_biserial', text: 'question_number', dy: -9 }),
      ],
    }),
    [props.answer],
  );
  const flagged = rows.filter((r) => r['flag']);
  const summary =
    `Difficulty and discrimination of ${rows.length} questions; ` +
    (flagged.length
      ? `flagged: ${flagged.map((r) => `question ${r['question_number']} (${r['flag']})`).join(', ')}.`
      : 'none flagged.');
  return (
    <>
      <DisclosureNote answer={props.answer} />
      <Chart title="Item analysis" summary={summary} options={options} />
      <DataTable
        caption="Questions: difficulty, discrimination and flags"
        fileName={`item-analysis-${props.answer.url.replace(/\W+/g, '-')}`}
        rows={rows}
        nullIsWithheld={props.answer.disclosure !== undefined}
        columns={[
          { name: 'question_number', label: 'No.' },
          { name: 'skill', label: 'Skill' },
          { name: 'responses', label: 'Responses' },
          { name: 'proportion_correct', label: 'Proportion correct', format: percentOfOne },
          { name: 'point_biserial', label: 'Discrimination' },
          { name: 'mean_time_seconds', label: 'Mean time (s)' },
          { name: 'most_common_wrong_answer', label: 'Most common wrong answer' },
          { name: 'flag', label: 'Flag', nullText: '' },
        ]}
      />
    </>
  );
}
