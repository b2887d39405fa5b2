import type { GrantSource } from '../access/CachedGrantSource';
import type { Scope } from '../access/Scope';
import { jsonResponse } from '../http/ApiRequest';
import type { OperationHandler } from '../router';

/**
 * `GET /v1/me`: the caller and their scope, as every data operation applies it; for a partner, the grant the
 * scope was built from. Read through the same grant cache as the scope, so both show one version of the grant.
 */
export function meOperations(deps: { readonly grants: GrantSource }): Record<string, OperationHandler> {
  return {
    async getMe(request) {
      const { scope } = request;
      const { caller } = scope;
      const grant =
        caller.role === 'partner' && caller.partnerId !== undefined
          ? await deps.grants.get(caller.partnerId)
          : undefined;
      return {
        ...jsonResponse(
          200,
          {
            subject: caller.subject,
            role: caller.role,
            groups: caller.groups,
            schoolIds: caller.schoolIds,
            districtIds: caller.districtIds,
            partnerId: caller.partnerId ?? null,
            scope: describeScope(scope),
            grant: grant ?? null,
            links: { datasets: `${request.basePath}/v1/datasets`, reports: `${request.basePath}/v1/reports` },
          },
          { 'Cache-Control': 'private, no-store' },
        ),
        audit: { resource: 'me' },
      };
    },
  };
}

/** The scope as the contract's `CallerScope`: what is visible, without the caller or the fingerprint. */
function describeScope(scope: Scope) {
  return {
    rows: scope.rows,
    datasets: scope.datasets,
    columns: scope.columns,
    pseudonymised: scope.pseudonymised,
    minimumCellSize: scope.minimumCellSize,
  };
}
