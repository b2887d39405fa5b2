import type { ComponentChildren } from 'preact';
import { ApiProblemError } from '../api';
import type { Async } from '../useAsync';

/** "Loading…" while waiting, the API's problem in words on failure, else the children for the value. */
export function Status<T>(props: {
  readonly result: Async<T>;
  readonly what: string;
  readonly children: (value: T) => ComponentChildren;
}) {
  const { result } = props;
  if (result.state === 'loading') {
    return (
      <p class="loading" role="status">
        Loading {props.what}…
      </p>
    );
  }
  if (result.state === 'failed') return <ProblemMessage error={result.error} what={props.what} />;
  return <>{props.children(result.value)}</>;
}

/** An error from the API as its problem body's title and detail. */
export function ProblemMessage(props: { readonly error: unknown; readonly what: string }) {
  const { error } = props;
  const title = error instanceof ApiProblemError ? error.title : `Could not load ${props.what}`;
  const detail =
    error instanceof Error ? (error instanceof ApiProblemError ? error.detail : error.message) : String(error);
  return (
    <div class="problem" role="alert">
      <strong>{title}</strong>
      <p>{detail}</p>
    </div>
  );
}
