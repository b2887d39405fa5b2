import type { Me } from '../api';

/** What a partner's grant lets it read (`GET /v1/me`): datasets, columns, row filters, minimum cell size. */
export function GrantView(props: { readonly me: Me }) {
  const grant = props.me.grant;
  return (
    <section aria-labelledby="grant-title">
      <h1 id="grant-title">Your grant</h1>
      {!grant ? (
        <p>You sign in as {props.me.role}: no partner grant applies; your scope is shown on each view.</p>
      ) : (
        <dl class="grant">
          <dt>Partner</dt>
          <dd>{grant.partnerId}</dd>
          <dt>Datasets</dt>
          <dd>{grant.datasets.join(', ')}</dd>
          <dt>Columns</dt>
          <dd>{grant.columns.join(', ')}</dd>
          <dt>Rows</dt>
          <dd>
            {Object.entries(grant.rowFilters).length
              ? Object.entries(grant.rowFilters)
                  .map(([name, values]) => `${name}: ${values.join(', ')}`)
                  .join('; ')
              : 'all rows'}
          </dd>
          <dt>Minimum cell size</dt>
          <dd>{grant.minimumCellSize}: groups of fewer students are withheld, and shown as withheld.</dd>
          <dt>Version</dt>
          <dd>
            {grant.version}, updated {grant.updatedAt}
          </dd>
        </dl>
      )}
    </section>
  );
}
