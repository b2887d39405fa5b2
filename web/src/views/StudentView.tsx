import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'preact/hooks';
import type { ApiClient, ReportAnswer } from '../api';
import { Chart } from '../components/Chart';
import { DataTable, percent } from '../components/DataTable';
import { Status } from '../components/Status';
import { SubjectPicker } from '../components/SubjectPicker';
import { href, type Route } from '../route';
import { type Async, useAsync } from '../useAsync';

/**
 * One student's attempts over time (`student-progress`): school administrators (their schools' students) and
 * analysts only; the API refuses partners, whose answers never carry student ids.
 */
export function StudentView(props: { readonly api: ApiClient; readonly route: Route }) {
  const studentId = props.route.params['student'] ?? '';
  const subject = props.route.params['subject'] ?? '';
  const [typed, setTyped] = useState(studentId);
  const go = (change: Record<string, string>) => {
    window.location.hash = href('student', undefined, { student: studentId, subject, ...change });
  };
  const result: Async<ReportAnswer | undefined> = useAsync(
    () => (studentId ? props.api.report('student-progress', { studentId, subject }) : Promise.resolve(undefined)),
    [studentId, subject],
  );
  return (
    <section aria-labelledby="student-title">
      <h1 id="student-title">Student progress{studentId ? `: ${studentId}` : ''}</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          go({ student: typed.trim() });
        }}
      >
        <label>
          Student id
          <input type="text" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autoComplete="off" />
        </label>
        <SubjectPicker value={subject} onChange={(subject) => go({ subject })} />
        <button type="submit" class="primary">
          Show
        </button>
      </form>
      <Status result={result} what={`the progress of ${studentId}`}>
        {(answer) =>
          answer ? (
            <Progress answer={answer} studentId={studentId} />
          ) : (
            <p>Enter a student id (for example STU-000001).</p>
          )
        }
      </Status>
    </section>
  );
}

function Progress(props: { readonly answer: ReportAnswer; readonly studentId: string }) {
  const points = props.answer.rows
    .filter((r) => typeof r['score_pct'] === 'number')
    .map((r) => ({
      when: new Date(String(r['submitted_at'])),
      score: r['score_pct'] as number,
      subject: String(r['subject']),
    }));
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      x: { label: 'Submitted', type: 'utc' },
      y: { label: 'Score (% of maximum)', domain: [0, 100], grid: true },
      color: { legend: true },
      marks: [Plot.lineY(points, { x: 'when', y: 'score', stroke: 'subject', marker: 'dot' }), Plot.ruleY([0])],
    }),
    [props.answer],
  );
  if (props.answer.rows.length === 0) {
    return <p class="empty">No attempts by {props.studentId} in your scope.</p>;
  }
  const summary = `Score of each of ${points.length} attempts by ${props.studentId} over time, by subject.`;
  return (
    <>
      <Chart title={`Scores of ${props.studentId}`} summary={summary} options={options} />
      <DataTable
        caption={`Attempts by ${props.studentId}`}
        fileName={`student-progress-${props.studentId}`}
        rows={props.answer.rows}
        columns={[
          { name: 'submitted_at', label: 'Submitted' },
          { name: 'exam_id', label: 'Exam' },
          { name: 'subject', label: 'Subject' },
          { name: 'attempt', label: 'Attempt' },
          { name: 'score_pct', label: 'Score', format: percent },
          { name: 'passed', label: 'Passed', format: (v) => (v === true ? 'yes' : v === false ? 'no' : '–') },
        ]}
      />
    </>
  );
}
