import { useState } from 'preact/hooks';
import type { ApiClient, ReportAnswer } from '../api';
import { DataTable } from '../components/DataTable';
import { ProblemMessage } from '../components/Status';

const EXAMPLE = 'SELECT subject, count(*) AS attempts FROM examlake.exam_results GROUP BY subject LIMIT 100';

type Run =
  | { readonly state: 'idle' }
  | { readonly state: 'running' }
  | { readonly state: 'done'; readonly answer: ReportAnswer }
  | { readonly state: 'failed'; readonly error: unknown };

/**
 * The analyst's SQL console: `POST /v1/queries` (one SELECT over the catalog, LIMIT enforced by the API), the
 * result as a table with a CSV download, and what it cost: cache state, bytes scanned, engine time.
 */
export function SqlView(props: { readonly api: ApiClient; readonly docsUrl: string }) {
  const [sql, setSql] = useState(EXAMPLE);
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const submit = async (event: Event) => {
    event.preventDefault();
    setRun({ state: 'running' });
    try {
      setRun({ state: 'done', answer: await props.api.sql(sql) });
    } catch (error) {
      setRun({ state: 'failed', error });
    }
  };
  return (
    <section aria-labelledby="sql-title">
      <h1 id="sql-title">SQL console</h1>
      <p>
        One <code>SELECT</code> over the catalog's tables (Athena SQL), answered through the same cache as every report.
        The operations and their parameters are in <a href={props.docsUrl}>Swagger UI</a>.
      </p>
      <form class="sql" onSubmit={submit}>
        <label for="sql">SQL</label>
        <textarea id="sql" rows={6} value={sql} onInput={(e) => setSql(e.currentTarget.value)} spellcheck={false} />
        <button type="submit" class="primary" disabled={run.state === 'running'}>
          Run
        </button>
      </form>
      {run.state === 'running' && (
        <p class="loading" role="status">
          Running…
        </p>
      )}
      {run.state === 'failed' && <ProblemMessage error={run.error} what="the query" />}
      {run.state === 'done' && <SqlResult answer={run.answer} />}
    </section>
  );
}

function SqlResult(props: { readonly answer: ReportAnswer }) {
  const { answer } = props;
  const meta = answer.query;
  return (
    <>
      <p role="status" data-testid="query-meta">
        {answer.rows.length} row{answer.rows.length === 1 ? '' : 's'}
        {answer.truncated ? ' (truncated at the row limit)' : ''}
        {meta
          ? ` · cache ${meta.cache} · ${formatBytes(meta.bytesScanned)} scanned · ${meta.engineTimeMs} ms in the engine`
          : ''}
      </p>
      <DataTable
        caption="Query result"
        fileName="query-result"
        rows={answer.rows}
        columns={answer.columns.map((c) => ({ name: c.name, label: c.name }))}
      />
    </>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
