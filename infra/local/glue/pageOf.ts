import { glueErrors } from './glueErrors';

export interface Page<T> {
  readonly items: T[];
  /** Opaque token for the next page; undefined on the last page. */
  readonly nextToken: string | undefined;
}

/**
 * One page of an ordered list. The token is opaque (base64url JSON) and names the sort key of the last item
 * returned, so a page boundary stays put when items are added or removed before it.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  nextToken: string | undefined,
  maxResults: number,
): Page<T> {
  let start = 0;
  if (nextToken !== undefined) {
    const after = decode(nextToken);
    const index = items.findIndex((item) => keyOf(item) > after);
    start = index === -1 ? items.length : index;
  }
  const slice = items.slice(start, start + maxResults);
  const more = start + maxResults < items.length && slice.length > 0;
  return { items: slice, nextToken: more ? encode(keyOf(slice[slice.length - 1]!)) : undefined };
}

function encode(key: string): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

function decode(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw glueErrors.invalidNextToken();
}
