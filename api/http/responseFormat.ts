import { NotAcceptableError } from '../errors';

export const FORMATS = { json: 'application/json', csv: 'text/csv' } as const;
export type Format = keyof typeof FORMATS;

/**
 * Content negotiation for result resources: `?format=` wins; otherwise the best of application/json and
 * text/csv by the `Accept` header's quality values; JSON when there is no `Accept` or it allows anything.
 */
export function responseFormat(formatParam: unknown, accept: string | undefined): Format {
  if (formatParam === 'csv' || formatParam === 'json') return formatParam;
  if (!accept || accept.trim() === '') return 'json';
  let best: { format: Format; q: number; specificity: number } | undefined;
  for (const range of accept.split(',')) {
    const [typePart, ...params] = range.trim().split(';');
    const type = (typePart ?? '').trim().toLowerCase();
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const candidates: [Format, number][] = [];
    if (type === 'application/json' || type === 'application/problem+json') candidates.push(['json', 2]);
    else if (type === 'text/csv') candidates.push(['csv', 2]);
    else if (type === 'application/*') candidates.push(['json', 1]);
    else if (type === 'text/*') candidates.push(['csv', 1]);
    else if (type === '*/*') candidates.push(['json', 0]);
    for (const [format, specificity] of candidates) {
      if (!best || q > best.q || (q === best.q && specificity > best.specificity)) best = { format, q, specificity };
    }
  }
  if (!best) throw new NotAcceptableError(accept);
  return best.format;
}
