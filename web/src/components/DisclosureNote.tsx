import type { ReportAnswer } from '../api';

/**
 * What a partner's answer withheld, in words: the count of withheld groups (the `disclosure` object, or the
 * `X-Examlake-Withheld-Groups` header) and why. Nothing for answers without disclosure control.
 */
export function DisclosureNote(props: { readonly answer: ReportAnswer }) {
  const { disclosure } = props.answer;
  const withheld = disclosure?.withheldGroups ?? props.answer.withheldGroups;
  if (!disclosure && withheld === undefined) return null;
  return (
    <p class="notice" data-withheld-groups={withheld ?? 0}>
      {withheld ? `${withheld} group${withheld === 1 ? '' : 's'} withheld` : 'No group withheld'}
      {disclosure ? ` (minimum cell size ${disclosure.minimumCellSize}). ${disclosure.reason}` : '.'}
    </p>
  );
}
